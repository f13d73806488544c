package io.tidings.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.common.testing.WebSocketFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client side of RFC 6455 against a raw server written with {@link WebSocketFrames}. */
class WebSocketConnectionTest {
    /** What the raw server does after the handshake, with the socket's streams. */
    @FunctionalInterface
    interface Serve {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    /** Runs one connection of a raw server; returns its URI. */
    private static URI server(ServerSocket server, String answerHead, Serve serve) {
        serveOne(server, answerHead, new ArrayList<>(), serve);
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/stream?x=1");
    }

    /**
     * Serves one connection of {@code server} (plain, or TLS when it is an {@code SSLServerSocket}) on a
     * thread of its own: reads the client's handshake into {@code requestHead}, answers {@code
     * answerHead} (null: the 101 for the client's key), then hands the streams to {@code serve}.
     */
    static void serveOne(ServerSocket server, String answerHead, List<String> requestHead, Serve serve) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String key = null;
                for (String line = WebSocketFrames.readLine(in); !line.isEmpty(); line = WebSocketFrames.readLine(in)) {
                    requestHead.add(line);
                    if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).strip();
                    }
                }
                out.write(answerHead == null ? WebSocketFrames.switchingProtocols(key)
                        : answerHead.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                serve.run(in, out);
            } catch (Exception e) {
                // the test ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static final class Recording implements WebSocketConnection.MessageHandler {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final boolean readOnAfterInvalid;

        Recording(boolean readOnAfterInvalid) {
            this.readOnAfterInvalid = readOnAfterInvalid;
        }

        @Override
        public void text(String text, long messageNo) {
            seen.add(messageNo + ": " + text);
        }

        @Override
        public boolean invalidText(byte[] bytes, int badByte, long messageNo) {
            seen.add(messageNo + ": invalid at " + badByte + " of " + bytes.length + " bytes");
            return readOnAfterInvalid;
        }

        @Override
        public void binary(int bytes) {
            seen.add("binary " + bytes);
        }
    }

    @Test
    void textThatIsNotUtf8ComesAsItsBytesWithTheFirstBadByteAndTheConnectionFailsWith1007() throws Exception {
        List<Integer> closeCodes = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            byte[] bad = "ab\u00e9cd".getBytes(StandardCharsets.UTF_8); // a b C3 A9 c d
            bad[3] = 0x28; // C3 28: not UTF-8 at byte 2
            URI uri = server(server, null, (in, out) -> {
                WebSocketFrames.writeText(out, "caf\u00e9 \uD83D\uDC08", 3); // cut inside the multi-byte characters
                WebSocketFrames.write(out, WebSocketFrames.TEXT, false, new byte[] {'x', (byte) 0xE2});
                WebSocketFrames.write(out, WebSocketFrames.CONTINUATION, true, new byte[] {(byte) 0x82, (byte) 0xAC});
                WebSocketFrames.write(out, WebSocketFrames.TEXT, true, bad);
                WebSocketFrames.writeText(out, "after", 1);
                out.flush();
                for (WebSocketFrames.Frame f = WebSocketFrames.read(in); f != null; f = WebSocketFrames.read(in)) {
                    if (f.opcode() == WebSocketFrames.CLOSE) {
                        closeCodes.add(((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff));
                    }
                }
            });
            WebSocketConnection c = WebSocketConnection.open(uri, Duration.ofSeconds(5));
            Recording handler = new Recording(false);
            WebSocketConnection.Ending ending = c.readUntilEnd(10_000, () -> true, handler);
            c.abort();
            assertThat(handler.seen).containsExactly("1: caf\u00e9 \uD83D\uDC08", "2: x\u20ac", "3: invalid at 2 of 6 bytes");
            assertThat(ending.failure()).isTrue();
            assertThat(ending.reason()).contains("not UTF-8").contains("1007");
            Thread.sleep(200);
            assertThat(closeCodes).containsExactly(1007);
        }
    }

    @Test
    void aSourceMayReadOnAfterAnInvalidMessageItKnows() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI uri = server(server, null, (in, out) -> {
                WebSocketFrames.write(out, WebSocketFrames.TEXT, true, new byte[] {'a', (byte) 0xFF});
                WebSocketFrames.writeText(out, "next", 1);
                WebSocketFrames.writeClose(out, 1000, "bye");
                WebSocketFrames.read(in);
            });
            WebSocketConnection c = WebSocketConnection.open(uri, Duration.ofSeconds(5));
            Recording handler = new Recording(true);
            WebSocketConnection.Ending ending = c.readUntilEnd(10_000, () -> true, handler);
            assertThat(handler.seen).containsExactly("1: invalid at 1 of 2 bytes", "2: next");
            assertThat(ending.failure()).isFalse();
            assertThat(ending.reason()).contains("code 1000, bye");
        }
    }

    @Test
    void aRefusedHandshakeGivesTheStatusAndHeadersAndPingsAreAnswered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI uri = server(server, "HTTP/1.1 429 Too Many Requests\r\nX-RateLimit-Reset: 2026-01-05T14:05:12Z\r\n"
                    + "Content-Length: 0\r\n\r\n", (in, out) -> { });
            assertThatThrownBy(() -> WebSocketConnection.open(uri, Duration.ofSeconds(5), Map.of("Authorization", "Bearer t")))
                    .isInstanceOfSatisfying(WebSocketConnection.HandshakeRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.headers().firstValue("x-ratelimit-reset")).hasValue("2026-01-05T14:05:12Z");
                    });
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI uri = server(server, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: wrong\r\n\r\n", (in, out) -> { });
            assertThatThrownBy(() -> WebSocketConnection.open(uri, Duration.ofSeconds(5))).isInstanceOf(IOException.class)
                    .hasMessageContaining("Sec-WebSocket-Accept");
        }
        List<byte[]> pongs = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI uri = server(server, null, (in, out) -> {
                WebSocketFrames.write(out, WebSocketFrames.PING, true, new byte[] {7, 8});
                out.flush();
                WebSocketFrames.Frame f = WebSocketFrames.read(in);
                if (f != null && f.opcode() == WebSocketFrames.PONG) {
                    pongs.add(f.payload());
                }
                out.close(); // no close frame: a drop
            });
            WebSocketConnection c = WebSocketConnection.open(uri, Duration.ofSeconds(5));
            WebSocketConnection.Ending ending = c.readUntilEnd(10_000, () -> true, new Recording(false));
            assertThat(pongs).singleElement().isEqualTo(new byte[] {7, 8});
            assertThat(ending.reason()).startsWith("connection dropped (no close frame)");
            assertThat(ending.failure()).isTrue();
        }
    }
}
