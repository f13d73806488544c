package io.tidings.source.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server side of RFC 6455 that the sources' fake servers need, written for tests so that they
 * need no WebSocket library and can script exactly what a real server may do (fragmented messages,
 * close frames, drops, garbage): the opening handshake's accept key, unmasked server frames, and
 * masked client frames read back.
 */
public final class WebSocketFrames {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private WebSocketFrames() {}

    /** A frame a client sent: its opcode and unmasked payload. */
    public record Frame(int opcode, byte[] payload) {}

    /** The {@code 101 Switching Protocols} answer to a handshake with this {@code Sec-WebSocket-Key}. */
    public static byte[] switchingProtocols(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            String accept = Base64.getEncoder().encodeToString(sha1);
            return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Writes one unmasked server frame (not flushed). */
    public static void write(OutputStream out, int opcode, boolean fin, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        out.write(payload);
    }

    /** Writes one text message in {@code parts} frames (a text frame and continuations, cut by bytes), flushed. */
    public static void writeText(OutputStream out, String text, int parts) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (parts <= 1) {
            write(out, TEXT, true, bytes);
        } else {
            int size = (bytes.length + parts - 1) / parts;
            for (int i = 0, from = 0; from < bytes.length; i++, from += size) {
                int to = Math.min(bytes.length, from + size);
                write(out, i == 0 ? TEXT : CONTINUATION, to == bytes.length, Arrays.copyOfRange(bytes, from, to));
                out.flush();
            }
        }
        out.flush();
    }

    /** Writes a close frame with {@code code} and {@code reason}, flushed. */
    public static void writeClose(OutputStream out, int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        write(out, CLOSE, true, payload);
        out.flush();
    }

    /** Reads one (masked) client frame, or null at the end of the stream. */
    public static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            return null;
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads one CRLF- or LF-ended line of an HTTP head (ASCII); throws at the end of the stream before any byte. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("end of stream in an HTTP head");
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
