package io.tidings.source.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.flink.annotation.Internal;

/**
 * One WebSocket subscription through the JDK client (the sources need no WebSocket library). Text frames may arrive in parts: they are
 * joined until {@code last} and handed over as one message. Flow control: up to {@link #WINDOW}
 * messages are read ahead; beyond that the socket is not read until the fetcher catches up, so a slow
 * pipeline back-pressures the socket instead of filling memory.
 */
@Internal
public final class WebSocketConnection implements WebSocket.Listener {
    /** What the listener hands the fetcher. */
    public sealed interface Inbound permits Text, Closed, Failed, Binary, Alive {}

    public record Text(String text) implements Inbound {}

    public record Closed(int code, String reason) implements Inbound {}

    public record Failed(Throwable error) implements Inbound {}

    public record Binary(int bytes) implements Inbound {}

    /** A ping or pong from the server: the connection is alive, though no event came. */
    public record Alive() implements Inbound {}

    /** RFC 6455 status the JDK reports when the TCP connection ended without a close frame. */
    public static final int CLOSED_ABNORMALLY = 1006;

    /**
     * The server answered the opening handshake with an HTTP status instead of 101: the status and
     * headers say why (401 no or a bad token, 429 with its rate-limit reset, 5xx), which decides what
     * the source does next.
     */
    public static final class HandshakeRefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient HttpHeaders headers;

        HandshakeRefusedException(String message, int status, HttpHeaders headers, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.headers = headers;
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }
    }

    /**
     * At most this many received messages wait for the fetcher; then the socket is not read until it
     * catches up. Reading ahead (rather than one message at a time) keeps what already arrived when
     * the connection then fails: the JDK reports an error at once, dropping messages not yet requested.
     */
    static final int WINDOW = 1_000;

    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private int binaryBytes;
    private boolean paused;
    private volatile WebSocket webSocket;

    private WebSocketConnection() {}

    /** Opens the subscription; throws {@link IOException} when the handshake fails or times out. */
    public static WebSocketConnection open(HttpClient http, URI uri, Duration connectTimeout)
            throws IOException, InterruptedException {
        return open(http, uri, connectTimeout, Map.of());
    }

    /**
     * Opens the subscription with extra handshake headers (e.g. {@code Authorization}, so that a token
     * never appears in a URL that ends up in logs); throws {@link HandshakeRefusedException} when the
     * server answers with an HTTP status, {@link IOException} when the handshake fails otherwise or
     * times out.
     */
    public static WebSocketConnection open(HttpClient http, URI uri, Duration connectTimeout,
            Map<String, String> headers) throws IOException, InterruptedException {
        WebSocketConnection connection = new WebSocketConnection();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, connection);
        try {
            connection.webSocket = opening.get(connectTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return connection;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
                throw new HandshakeRefusedException(describe(cause) + " (HTTP " + refused.getResponse().statusCode() + ")",
                        refused.getResponse().statusCode(), refused.getResponse().headers(), cause);
            }
            throw new IOException(describe(cause), cause);
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new IOException("opening handshake timed out after " + connectTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            opening.cancel(true);
            throw e;
        }
    }

    /** What a source does with each message of a connection. */
    public interface MessageHandler {
        /** One text message (frames joined), the {@code messageNo}-th of the connection (from 1). */
        void text(String text, long messageNo) throws InterruptedException;

        /** One binary message of {@code bytes} bytes, which no source asks for. */
        void binary(int bytes);
    }

    /**
     * Why a connection ended: in words for the log, and whether it was a failure (a drop, a stall, an
     * error) rather than the server closing it or the source stopping.
     */
    public record Ending(String reason, boolean failure, long messages) {}

    /**
     * Reads until the connection ends or {@code running} turns false, handing each message to {@code
     * handler} in order. Nothing heard for {@code stallTimeoutMs} (no message, no ping or pong) is a
     * stall; while nothing comes, a ping goes out every third of it, so a quiet but live stream (a rare
     * hashtag, few wanted authors) answers with a pong and is not taken for dead.
     */
    public Ending readUntilEnd(long stallTimeoutMs, BooleanSupplier running, MessageHandler handler)
            throws InterruptedException {
        long messages = 0;
        long stallNanos = stallTimeoutMs * 1_000_000L;
        long pingEveryMs = Math.max(1, stallTimeoutMs / 3);
        long lastHeard = System.nanoTime();
        long lastPing = lastHeard;
        while (running.getAsBoolean()) {
            Inbound in = poll(pingEveryMs);
            long now = System.nanoTime();
            if (in == null) {
                if (now - lastHeard >= stallNanos) {
                    return new Ending("stalled: nothing (no event, no pong) for " + stallTimeoutMs + " ms", true, messages);
                }
                if (now - lastPing >= pingEveryMs * 1_000_000L) {
                    lastPing = now;
                    ping();
                }
                continue;
            }
            lastHeard = now;
            if (in instanceof Text text) {
                messages++;
                handler.text(text.text(), messages);
                requestNext();
            } else if (in instanceof Binary binary) {
                handler.binary(binary.bytes());
                requestNext();
            } else if (in instanceof Closed closed) {
                if (closed.code() == CLOSED_ABNORMALLY) {
                    return new Ending("connection dropped (no close frame) after " + messages + " messages", true, messages);
                }
                return new Ending("closed by the server (code " + closed.code() + (closed.reason().isEmpty() ? ""
                        : ", " + closed.reason()) + ") after " + messages + " messages", false, messages);
            } else if (in instanceof Failed failed) {
                return new Ending("connection failed after " + messages + " messages: " + describe(failed.error()), true,
                        messages);
            }
        }
        return new Ending("stopped", false, messages);
    }

    /** The first non-blank message in {@code t}'s causes, with its type: for log lines and reasons. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        while (t.getCause() != null && (message == null || message.isBlank())) {
            t = t.getCause();
            message = t.getMessage();
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The next message, or null when none came within {@code timeoutMs}. */
    public Inbound poll(long timeoutMs) throws InterruptedException {
        return inbox.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The fetcher took a message: when reading paused because {@link #WINDOW} messages waited, resume
     * once half of them are gone.
     */
    public void requestNext() {
        WebSocket ws = webSocket;
        synchronized (this) {
            if (ws == null || !paused || inbox.size() > WINDOW / 2) {
                return;
            }
            paused = false;
        }
        ws.request(1);
    }

    /** Sends a ping; the pong proves the connection alive while no events come (e.g. few wanted DIDs). */
    public void ping() {
        WebSocket ws = webSocket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendPing(ByteBuffer.allocate(0));
        }
    }

    /** Drops the connection at once (no closing handshake: the peer may be gone). */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public void onOpen(WebSocket ws) {
        this.webSocket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            inbox.add(new Text(partial.toString()));
            partial.setLength(0);
            requestUnlessWindowFull(ws);
        } else {
            ws.request(1);
        }
        return null;
    }

    /** Asks for the next message unless {@link #WINDOW} messages wait; then {@link #requestNext} resumes. */
    private void requestUnlessWindowFull(WebSocket ws) {
        synchronized (this) {
            if (inbox.size() < WINDOW) {
                ws.request(1);
            } else {
                paused = true;
            }
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        binaryBytes += data.remaining();
        if (last) {
            inbox.add(new Binary(binaryBytes));
            binaryBytes = 0;
            // A binary message must not stop the reading: the messages after it still count.
            requestUnlessWindowFull(ws);
        } else {
            ws.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        inbox.add(new Alive());
        ws.request(1); // the JDK answers the ping with a pong itself
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        inbox.add(new Alive());
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        inbox.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        inbox.add(new Failed(error));
    }
}
