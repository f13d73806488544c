package io.tidings.source.common;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.flink.annotation.Internal;

/**
 * One WebSocket subscription (RFC 6455, client side) over a plain or TLS socket: the sources need no
 * WebSocket library. Text frames may arrive in parts: they are joined until the last and handed over
 * as one message.
 *
 * <p>Why not the JDK's {@code java.net.http.WebSocket}: it decodes text frames itself and, on invalid
 * UTF-8, fails the connection and drops the frame's bytes, so the frame could never become a dead
 * letter. Here a text message's bytes are decoded strictly by this class; one that is not UTF-8 is
 * handed over as it came ({@link InvalidText}, with the offset of the first bad byte), and the source
 * decides: emit it for the dead letters, then fail the connection with close code 1007 as RFC 6455
 * §8.1 asks (or, for a frame it dead-lettered already and a replay brings again, read on).
 *
 * <p>Flow control: a reader thread reads frames ahead, up to {@link #WINDOW} messages waiting for the
 * fetcher; beyond that it stops reading the socket until the fetcher catches up, so a slow pipeline
 * back-pressures the socket instead of filling memory. Reading ahead keeps what already arrived when
 * the connection then fails: those messages come before the failure. Pings are answered at once (a
 * pong); a close frame is answered with a close frame. No extension is asked for, so frames with
 * reserved bits, masked server frames, and unknown opcodes fail the connection (1002). A message over
 * {@link #MAX_MESSAGE_BYTES} fails it too (1009): a frame length from a broken peer must not decide
 * how much memory the reader takes.
 */
@Internal
public final class WebSocketConnection {
    /** What the reader thread hands the fetcher. */
    public sealed interface Inbound permits Text, InvalidText, Closed, Failed, Binary, Alive {}

    public record Text(String text) implements Inbound {}

    /** A text message whose bytes are not UTF-8: the bytes as they came, and the offset of the first bad byte. */
    public record InvalidText(byte[] bytes, int badByte) implements Inbound {}

    public record Closed(int code, String reason) implements Inbound {}

    public record Failed(Throwable error) implements Inbound {}

    public record Binary(int bytes) implements Inbound {}

    /** A ping or pong from the server: the connection is alive, though no event came. */
    public record Alive() implements Inbound {}

    /** RFC 6455 status when the TCP connection ended without a close frame. */
    public static final int CLOSED_ABNORMALLY = 1006;
    /** RFC 6455 status of a close frame without a status. */
    public static final int NO_STATUS = 1005;
    /** RFC 6455 status for data that is not what the message type says (invalid UTF-8 in a text message). */
    public static final int INVALID_PAYLOAD = 1007;
    static final int PROTOCOL_ERROR = 1002;
    static final int TOO_BIG = 1009;

    /**
     * The server answered the opening handshake with an HTTP status instead of 101: the status and
     * headers say why (401 no or a bad token, 429 with its rate-limit reset, 5xx), which decides what
     * the source does next.
     */
    public static final class HandshakeRefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient HttpHeaders headers;

        HandshakeRefusedException(String message, int status, HttpHeaders headers) {
            super(message);
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
     * catches up.
     */
    static final int WINDOW = 1_000;
    /** The largest message kept: 16 MiB, as the file reader's longest line. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    /** Text and binary messages in the inbox that the fetcher has not taken yet (guarded by itself). */
    private final int[] waiting = new int[1];
    private volatile boolean closed;
    private Thread reader;

    private WebSocketConnection(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Opens the subscription; throws {@link IOException} when the handshake fails or times out. */
    public static WebSocketConnection open(URI uri, Duration connectTimeout) throws IOException, InterruptedException {
        return open(uri, connectTimeout, Map.of());
    }

    /**
     * Opens the subscription ({@code ws://} or {@code wss://}) with extra handshake headers (e.g.
     * {@code Authorization}, so that a token never appears in a URL that ends up in logs); throws
     * {@link HandshakeRefusedException} when the server answers with an HTTP status, {@link
     * IOException} when the handshake fails otherwise or times out ({@code connectTimeout} for the
     * TCP connection, and again for each read of the proxy's, the TLS and the WebSocket handshakes).
     *
     * <p>An HTTP proxy that the JVM's default {@link ProxySelector} names for the URL (the {@code
     * https.proxyHost}/{@code https.proxyPort} system properties for {@code wss://}, {@code
     * http.proxyHost}/{@code http.proxyPort} for {@code ws://}, {@code http.nonProxyHosts}, or {@code
     * java.net.useSystemProxies}) is used through a {@code CONNECT} tunnel, as the JDK's WebSocket
     * client did; the trust store is the JVM's default ({@code javax.net.ssl.trustStore}).
     */
    public static WebSocketConnection open(URI uri, Duration connectTimeout, Map<String, String> headers)
            throws IOException, InterruptedException {
        return open(uri, connectTimeout, headers, ProxySelector.getDefault(),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * {@link #open(URI, Duration, Map)} with the proxy selector ({@code null}: none) and the TLS socket
     * factory given, so that tests can trust their own certificate and name their own proxy.
     */
    static WebSocketConnection open(URI uri, Duration connectTimeout, Map<String, String> headers,
            ProxySelector proxies, SSLSocketFactory tlsSockets) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("wss") || scheme.equals("https");
        if (!tls && !scheme.equals("ws") && !scheme.equals("http")) {
            throw new IOException("not a WebSocket URL (ws:// or wss://): " + uri);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("no host in " + uri);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        String unbracketed = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress proxy = httpProxy(proxies, tls, host, port);
        String stage = proxy == null ? "connecting to " + host + ":" + port
                : "connecting to the HTTP proxy " + proxy.getHostString() + ":" + proxy.getPort();
        // Through a proxy the socket must not look for a SOCKS proxy of its own; direct, it stays as it was.
        Socket socket = proxy == null ? new Socket() : new Socket(Proxy.NO_PROXY);
        try {
            socket.connect(proxy == null ? new InetSocketAddress(unbracketed, port)
                    : proxy.isUnresolved() ? new InetSocketAddress(proxy.getHostString(), proxy.getPort()) : proxy,
                    timeoutMs);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMs);
            if (proxy != null) {
                stage = "the HTTP proxy's CONNECT to " + host + ":" + port;
                tunnel(socket, proxy, host, port);
            }
            if (tls) {
                stage = "the TLS handshake with " + host + ":" + port;
                SSLSocket ssl = (SSLSocket) tlsSockets.createSocket(socket, unbracketed, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                if (!isIpLiteral(unbracketed)) {
                    // SNI for every host name: the JDK sends it on its own only for names with a dot, so a
                    // single-label host (localhost, a cluster's service name) would reach a shared front
                    // without it. The JDK's HTTP client, which the sources used before, named it always.
                    parameters.setServerNames(List.of(new SNIHostName(unbracketed)));
                }
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                socket = ssl;
            }
            stage = "the WebSocket handshake with " + host + ":" + port;
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            WebSocketConnection connection = new WebSocketConnection(socket, in);
            connection.handshake(uri, host, port, tls, headers);
            socket.setSoTimeout(0); // from now on a stall is the fetcher's to judge (pings)
            connection.startReading();
            return connection;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new IOException("opening handshake timed out after " + timeoutMs + " ms in " + stage, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * The HTTP proxy {@code proxies} names for the host, or null to connect directly. Asked with the
     * {@code https://} or {@code http://} URL of the host, as the JDK's WebSocket client asked; a SOCKS
     * proxy or none is a direct connection, as there.
     */
    private static InetSocketAddress httpProxy(ProxySelector proxies, boolean tls, String host, int port) {
        if (proxies == null) {
            return null;
        }
        List<Proxy> chosen = proxies.select(URI.create((tls ? "https://" : "http://") + host + ":" + port + "/"));
        if (chosen == null || chosen.isEmpty() || chosen.get(0).type() != Proxy.Type.HTTP
                || !(chosen.get(0).address() instanceof InetSocketAddress address)) {
            return null;
        }
        return address;
    }

    /** Asks the HTTP proxy on {@code socket} for a tunnel to host:port ({@code CONNECT}); throws unless it answers 2xx. */
    private static void tunnel(Socket socket, InetSocketAddress proxy, String host, int port) throws IOException {
        String target = host + ":" + port;
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: tidings\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Unbuffered: the tunnel's bytes that follow the answer's head belong to the TLS or WebSocket handshake.
        InputStream in = socket.getInputStream();
        int[] budget = {MAX_HEAD_BYTES};
        String statusLine = headLine(in, budget);
        while (!headLine(in, budget).isEmpty()) {
            // the proxy's headers say nothing the tunnel needs
        }
        String[] parts = statusLine.split(" ", 3);
        boolean ok = parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].length() == 3
                && parts[1].charAt(0) == '2';
        if (!ok) {
            String proxyName = proxy.getHostString() + ":" + proxy.getPort();
            throw new ProtocolException("the HTTP proxy " + proxyName + " refused the tunnel to " + target + ": "
                    + abbreviate(statusLine) + (parts.length >= 2 && parts[1].equals("407")
                            ? " (proxy authentication is not supported)" : ""));
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private void handshake(URI uri, String host, int port, boolean tls, Map<String, String> headers) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(port == (tls ? 443 : 80) ? "" : ":" + port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("User-Agent: tidings\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().matches(".*[\\r\\n:].*") || h.getValue().matches(".*[\\r\\n].*")) {
                throw new IllegalArgumentException("a handshake header with a line break or colon in its name: "
                        + h.getKey());
            }
            request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();

        int[] budget = {MAX_HEAD_BYTES};
        String statusLine = headLine(in, budget);
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 0) {
            throw new ProtocolException("not an HTTP answer to the opening handshake: " + abbreviate(statusLine));
        }
        Map<String, List<String>> received = new LinkedHashMap<>();
        for (String line = headLine(in, budget); !line.isEmpty(); line = headLine(in, budget)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                received.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        HttpHeaders answer = HttpHeaders.of(received, (name, value) -> true);
        if (status != 101) {
            throw new HandshakeRefusedException("the server answered the opening handshake with HTTP " + status, status,
                    answer);
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        if (!answer.firstValue("Upgrade").map(v -> v.equalsIgnoreCase("websocket")).orElse(false)
                || !answer.firstValue("Connection").map(v -> v.toLowerCase(Locale.ROOT).contains("upgrade")).orElse(false)
                || !answer.firstValue("Sec-WebSocket-Accept").map(accept::equals).orElse(false)) {
            throw new ProtocolException("the server's 101 answer is not a WebSocket upgrade for this request"
                    + " (Upgrade, Connection or Sec-WebSocket-Accept)");
        }
        if (answer.firstValue("Sec-WebSocket-Extensions").isPresent()) {
            throw new ProtocolException("the server chose a WebSocket extension none was asked for: "
                    + answer.firstValue("Sec-WebSocket-Extensions").get());
        }
    }

    /** One line of an HTTP head (ASCII, CRLF or LF) from {@code in}, at most what is left of {@code budget}. */
    private static String headLine(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended in an HTTP answer's head (the proxy's or the server's)");
            }
            if (--budget[0] < 0) {
                throw new ProtocolException("an HTTP answer's head (the proxy's or the server's) is over " + MAX_HEAD_BYTES
                        + " bytes");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
    }

    /** What a source does with each message of a connection. */
    public interface MessageHandler {
        /** One text message (frames joined), the {@code messageNo}-th of the connection (from 1). */
        void text(String text, long messageNo) throws InterruptedException;

        /**
         * One text message that is not UTF-8: its bytes as they came and the offset of the first bad
         * byte. Returns whether to read on; false fails the connection (close code 1007), as RFC 6455
         * asks. Only a message the source has dead-lettered before (a replay brings it again) should
         * read on, or a stream that replays from a cursor would meet it again on every connection.
         */
        boolean invalidText(byte[] bytes, int badByte, long messageNo) throws InterruptedException;

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
            } else if (in instanceof InvalidText bad) {
                messages++;
                boolean readOn = handler.invalidText(bad.bytes(), bad.badByte(), messages);
                requestNext();
                if (!readOn) {
                    fail(INVALID_PAYLOAD, "invalid UTF-8 in a text message");
                    return new Ending("message " + messages + " is not UTF-8 (invalid byte at " + bad.badByte()
                            + "): connection failed with close code 1007 after " + messages + " messages", true, messages);
                }
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

    /** The fetcher took a text or binary message: the reader may read one more ahead. */
    public void requestNext() {
        synchronized (waiting) {
            waiting[0] = Math.max(0, waiting[0] - 1);
            waiting.notifyAll();
        }
    }

    /** Sends a ping; the pong proves the connection alive while no events come (e.g. few wanted DIDs). */
    public void ping() {
        try {
            send(PING, new byte[0]);
        } catch (IOException e) {
            // the reader thread sees the connection fail
        }
    }

    /** Drops the connection at once (no closing handshake: the peer may be gone). */
    public void abort() {
        closed = true;
        closeQuietly(socket);
        Thread r = reader;
        if (r != null) {
            r.interrupt();
        }
    }

    // ------------------------------------------------------------------ the reader thread

    private void startReading() {
        reader = new Thread(this::readFrames, "websocket-reader-" + socket.getInetAddress().getHostAddress() + ":"
                + socket.getPort());
        reader.setDaemon(true);
        reader.start();
    }

    private void readFrames() {
        ByteArrayOutputStream message = null;
        int messageType = -1;
        long binaryBytes = 0;
        try {
            while (!closed) {
                int b0 = in.read();
                if (b0 < 0) {
                    inbox.add(new Closed(CLOSED_ABNORMALLY, ""));
                    return;
                }
                int b1 = readByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0f;
                if ((b0 & 0x70) != 0) {
                    fail(PROTOCOL_ERROR, "a frame with reserved bits set (no extension was asked for)");
                    return;
                }
                if ((b1 & 0x80) != 0) {
                    fail(PROTOCOL_ERROR, "a masked frame from the server");
                    return;
                }
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = ((long) readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                }
                if (opcode >= 0x8) {
                    if (!fin || length > 125) {
                        fail(PROTOCOL_ERROR, "a control frame fragmented or over 125 bytes");
                        return;
                    }
                    byte[] payload = readBytes((int) length);
                    if (!control(opcode, payload)) {
                        return;
                    }
                    continue;
                }
                if (opcode == CONTINUATION ? messageType < 0 : messageType >= 0) {
                    fail(PROTOCOL_ERROR, opcode == CONTINUATION ? "a continuation frame without a message"
                            : "a new message inside a fragmented one");
                    return;
                }
                if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY) {
                    fail(PROTOCOL_ERROR, "unknown opcode " + opcode);
                    return;
                }
                if (opcode != CONTINUATION) {
                    messageType = opcode;
                    message = opcode == TEXT ? new ByteArrayOutputStream() : null;
                    binaryBytes = 0;
                }
                if (messageType == TEXT) {
                    if (message.size() + length > MAX_MESSAGE_BYTES) {
                        fail(TOO_BIG, "a text message over " + MAX_MESSAGE_BYTES + " bytes");
                        return;
                    }
                    message.write(readBytes((int) length));
                } else {
                    skip(length); // binary: no source asks for it; only its size is reported
                    binaryBytes += length;
                }
                if (fin) {
                    waitForRoom();
                    if (messageType == TEXT) {
                        inbox.add(decode(message.toByteArray()));
                    } else {
                        inbox.add(new Binary((int) Math.min(Integer.MAX_VALUE, binaryBytes)));
                    }
                    messageType = -1;
                    message = null;
                }
            }
        } catch (IOException e) {
            if (!closed) {
                inbox.add(new Failed(e));
            }
        } catch (InterruptedException e) {
            // aborted
        } finally {
            if (closed) {
                closeQuietly(socket);
            }
        }
    }

    /** Handles a control frame; false when the connection is over. */
    private boolean control(int opcode, byte[] payload) throws IOException {
        switch (opcode) {
            case PING:
                send(PONG, payload);
                inbox.add(new Alive());
                return true;
            case PONG:
                inbox.add(new Alive());
                return true;
            case CLOSE: {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : NO_STATUS;
                String reason = payload.length > 2
                        ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                try {
                    // Answer with a close frame (the same status, or none when the server gave none).
                    send(CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                } catch (IOException alreadyGone) {
                    // closed either way
                }
                inbox.add(new Closed(code, reason));
                closed = true;
                return false;
            }
            default:
                fail(PROTOCOL_ERROR, "unknown control opcode " + opcode);
                return false;
        }
    }

    /** Waits while {@link #WINDOW} messages wait for the fetcher (the socket is then not read: back-pressure). */
    private void waitForRoom() throws InterruptedException {
        synchronized (waiting) {
            while (waiting[0] >= WINDOW && !closed) {
                waiting.wait(100);
            }
            waiting[0]++;
        }
    }

    /** Strict UTF-8: a text message, or its bytes with the offset of the first byte that is not UTF-8. */
    static Inbound decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isError()) {
            return new InvalidText(bytes, input.position());
        }
        result = decoder.flush(output);
        if (result.isError()) {
            return new InvalidText(bytes, input.position());
        }
        return new Text(output.flip().toString());
    }

    /** Fails the connection: a close frame with {@code code} if it can still be sent, then the socket closed. */
    private void fail(int code, String why) {
        if (closed) {
            return;
        }
        try {
            byte[] reason = why.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + Math.min(reason.length, 123)];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(reason, 0, payload, 2, payload.length - 2);
            send(CLOSE, payload);
        } catch (IOException alreadyGone) {
            // failing anyway
        }
        if (Thread.currentThread() == reader) {
            inbox.add(new Failed(new ProtocolException(why + " (closed with " + code + ")")));
        }
        closed = true;
        closeQuietly(socket);
    }

    /** Sends one masked frame (clients mask every frame). */
    private void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        synchronized (out) {
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame");
        }
        return b;
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the connection ended inside a frame");
        }
        return bytes;
    }

    private void skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw new EOFException("the connection ended inside a frame");
            }
            n -= read;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
