package io.tidings.source.bluesky.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.source.common.testing.WebSocketFrames;

/**
 * A local Jetstream for tests: a plain {@link ServerSocket} on 127.0.0.1 with the minimal RFC 6455
 * server side of {@link WebSocketFrames} (opening handshake, unmasked server frames, fragmented text
 * messages, close frames; masked client frames are read and answered on close). It keeps an event log ({@link #publish})
 * and serves each connection from a script; a connection without a script replays the log from the
 * requested {@code cursor} (all events with {@code time_us >= cursor}) and then stays open, silent.
 * Without a cursor it serves the whole log, or, once given a {@link #clock}, what Jetstream's live
 * tail would: the events stamped at or after the moment the connection opened. Every request line is
 * recorded. {@link #restamped} makes the copy of an event that another instance sends.
 */
public final class FakeJetstream implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TIME_US = Pattern.compile("\"time_us\"\\s*:\\s*(\\d+)");

    private final ServerSocket server;
    private final Thread acceptor;
    /** The log, each event's bytes as sent (a test may log bytes that are not UTF-8). */
    private final List<byte[]> events = new CopyOnWriteArrayList<>();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    /** "Now" for connections without a cursor (the live tail), or null: they get the whole log. */
    private volatile LongSupplier clock;
    /** Whether connections without a script go on sending what is published after they opened. */
    private volatile boolean following;
    private volatile boolean closed;

    public FakeJetstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "fake-jetstream-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code ws://127.0.0.1:<port>/subscribe}. */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/subscribe");
    }

    /** {@code 127.0.0.1:<port>}: what the source's {@code source} field names. */
    public String authority() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Adds events (Jetstream JSON with a time_us) to the log that cursor replays serve. */
    public FakeJetstream publish(String... jsons) {
        for (String json : jsons) {
            events.add(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return this;
    }

    /** Adds an event's bytes as they are (e.g. not UTF-8) to the log that cursor replays serve. */
    public FakeJetstream publishRaw(byte[] bytes) {
        events.add(bytes.clone());
        return this;
    }

    /** The status codes of the close frames clients sent (e.g. 1007 after a text frame that is not UTF-8). */
    public List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    /**
     * "Now", epoch milliseconds: a connection without a cursor then gets only the logged events stamped
     * at or after the moment it opened, as from Jetstream's live tail (without a clock: the whole log).
     */
    public FakeJetstream clock(LongSupplier nowMillis) {
        this.clock = nowMillis;
        return this;
    }

    /**
     * Connections without a script then behave as Jetstream's live stream does: after the replay from
     * their cursor, every event published later is sent as it comes (without this: they stay silent).
     */
    public FakeJetstream following() {
        this.following = true;
        return this;
    }

    /** The script for the next connection that has none yet. */
    public synchronized Script nextConnection() {
        Script s = new Script();
        scripts.add(s);
        return s;
    }

    /** Request lines received, e.g. {@code GET /subscribe?wantedCollections=app.bsky.feed.post&cursor=1}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Pings received from clients. */
    public int pings() {
        return pings.get();
    }

    /** The cursor of each request, -1 where none was sent. */
    public List<Long> cursors() {
        List<Long> out = new ArrayList<>();
        for (String r : requests) {
            Matcher m = Pattern.compile("[?&]cursor=(\\d+)").matcher(r);
            out.add(m.find() ? Long.parseLong(m.group(1)) : -1L);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------ events

    /** A commit creating a post, shaped as Jetstream sends it. */
    public static String post(long timeUs, String did, String rkey, String text, String... langs) {
        ObjectNode root = envelope(did, timeUs, "commit");
        ObjectNode commit = root.putObject("commit");
        commit.put("rev", "3l3qo2vutsw2b");
        commit.put("operation", "create");
        commit.put("collection", "app.bsky.feed.post");
        commit.put("rkey", rkey);
        ObjectNode record = commit.putObject("record");
        record.put("$type", "app.bsky.feed.post");
        record.put("createdAt", "2024-09-09T19:46:02.102Z");
        if (langs.length > 0) {
            var array = record.putArray("langs");
            for (String l : langs) {
                array.add(l);
            }
        }
        record.put("text", text);
        commit.put("cid", "bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi");
        return root.toString();
    }

    /** A commit deleting a post (no record, no cid). */
    public static String delete(long timeUs, String did, String rkey) {
        ObjectNode root = envelope(did, timeUs, "commit");
        ObjectNode commit = root.putObject("commit");
        commit.put("rev", "3l3f6nzl3cv2s");
        commit.put("operation", "delete");
        commit.put("collection", "app.bsky.feed.post");
        commit.put("rkey", rkey);
        return root.toString();
    }

    public static String identity(long timeUs, String did, String handle) {
        ObjectNode root = envelope(did, timeUs, "identity");
        ObjectNode identity = root.putObject("identity");
        identity.put("did", did);
        identity.put("handle", handle);
        identity.put("seq", 1409752997L);
        identity.put("time", "2024-09-05T06:11:04.870Z");
        return root.toString();
    }

    public static String account(long timeUs, String did) {
        ObjectNode root = envelope(did, timeUs, "account");
        ObjectNode account = root.putObject("account");
        account.put("active", true);
        account.put("did", did);
        account.put("seq", 1409753013L);
        account.put("time", "2024-09-05T06:11:04.870Z");
        return root.toString();
    }

    private static ObjectNode envelope(String did, long timeUs, String kind) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("did", did);
        root.put("time_us", timeUs);
        root.put("kind", kind);
        return root;
    }

    /**
     * The same event as another instance sends it: every instance stamps its own {@code time_us} (when it
     * received the event), the rest is the same.
     */
    public static String restamped(String json, long timeUs) {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree(json);
            event.put("time_us", timeUs);
            return event.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event: " + json, e);
        }
    }

    static long timeUs(String json) {
        Matcher m = TIME_US.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ------------------------------------------------------------------ scripts

    /** What one connection does, step by step. */
    public final class Script {
        private final List<Step> steps = new ArrayList<>();
        private int refuseStatus;
        private boolean answerPings = true;

        /** Leaves client pings unanswered (a dead peer); by default they get a pong, as from a real server. */
        public Script ignorePings() {
            this.answerPings = false;
            return this;
        }

        /** Sends nothing for a while. */
        public Script pause(long millis) {
            steps.add(c -> Thread.sleep(millis));
            return this;
        }

        /** Answers the handshake with this HTTP status instead of 101. */
        public Script refuse(int status) {
            this.refuseStatus = status;
            return this;
        }

        /** One text frame with these bytes as its payload, UTF-8 or not. */
        public Script sendRaw(byte[] bytes) {
            steps.add(c -> c.raw(bytes));
            return this;
        }

        /** One text message in one frame. */
        public Script send(String json) {
            steps.add(c -> c.text(json, 1));
            return this;
        }

        /** One text message in {@code parts} frames (a text frame and continuations), cut by bytes. */
        public Script sendInParts(String json, int parts) {
            steps.add(c -> c.text(json, parts));
            return this;
        }

        /**
         * The logged events with {@code time_us >= cursor}, one frame each; without a cursor, those of the
         * live tail (see {@link FakeJetstream#clock}), or all.
         */
        public Script replayFromCursor() {
            steps.add(c -> {
                long from = c.cursor >= 0 ? c.cursor : c.liveFromUs;
                for (byte[] e : events) {
                    if (timeUs(new String(e, java.nio.charset.StandardCharsets.ISO_8859_1)) >= from) {
                        c.raw(e);
                    }
                }
            });
            return this;
        }

        /**
         * As {@link #replayFromCursor}, then every event published later (with {@code time_us} at or after
         * the cursor), as it comes, until the client goes or the server closes.
         */
        public Script replayFromCursorAndFollow() {
            steps.add(c -> {
                long from = c.cursor >= 0 ? c.cursor : c.liveFromUs;
                int sent = 0;
                while (!closed && c.gone.getCount() > 0) {
                    for (; sent < events.size(); sent++) {
                        byte[] e = events.get(sent);
                        if (timeUs(new String(e, java.nio.charset.StandardCharsets.ISO_8859_1)) >= from) {
                            c.raw(e);
                        }
                    }
                    c.gone.await(20, TimeUnit.MILLISECONDS);
                }
            });
            return this;
        }

        /** Ends the TCP connection (FIN after everything sent) with no close frame, then closes the socket. */
        public void thenDrop() {
            steps.add(c -> {
                c.out.flush();
                c.socket.shutdownOutput();
                c.gone.await(2, TimeUnit.SECONDS);
                c.socket.close();
            });
        }

        /** Sends a close frame and closes. */
        public void thenClose(int code, String reason) {
            steps.add(c -> {
                c.close(code, reason);
                c.socket.close();
            });
        }

        /** Stays open and silent until the client goes (a stall). */
        public void thenHang() {
            steps.add(Connection::hang);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Connection c) throws Exception;
    }

    // ------------------------------------------------------------------ server

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "fake-jetstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private synchronized Script takeScript() {
        return scripts.poll();
    }

    private void serve(Socket socket) {
        try (socket) {
            Connection c = new Connection(socket);
            String key = c.handshakeRequest();
            Script script = takeScript();
            if (script == null) {
                script = following ? new Script().replayFromCursorAndFollow() : new Script().replayFromCursor();
                script.thenHang();
            }
            if (script.refuseStatus != 0) {
                c.out.write(("HTTP/1.1 " + script.refuseStatus + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                c.out.flush();
                return;
            }
            c.handshakeResponse(key);
            c.startReadingClientFrames(script.answerPings);
            for (Step step : script.steps) {
                step.run(c);
            }
        } catch (Exception e) {
            // the client went away, or the test ended: nothing to do
        }
    }

    private final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final CountDownLatch gone = new CountDownLatch(1);
        long cursor = -1;
        /** Without a cursor: the first time_us of the live tail (the moment it opened), or the whole log. */
        final long liveFromUs;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            LongSupplier now = clock;
            this.liveFromUs = now == null ? Long.MIN_VALUE : now.getAsLong() * 1000;
        }

        String handshakeRequest() throws IOException {
            String requestLine = readLine();
            requests.add(requestLine);
            Matcher m = Pattern.compile("[?&]cursor=(\\d+)").matcher(requestLine);
            if (m.find()) {
                cursor = Long.parseLong(m.group(1));
            }
            String key = null;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            if (key == null) {
                throw new IOException("no Sec-WebSocket-Key");
            }
            return key;
        }

        void handshakeResponse(String key) throws IOException {
            out.write(WebSocketFrames.switchingProtocols(key));
            out.flush();
        }

        private String readLine() throws IOException {
            return WebSocketFrames.readLine(in);
        }

        /** Reads (and discards) masked client frames; answers a close frame; notes when the client is gone. */
        void startReadingClientFrames(boolean answerPings) {
            Thread t = new Thread(() -> {
                try {
                    for (WebSocketFrames.Frame f = WebSocketFrames.read(in); f != null; f = WebSocketFrames.read(in)) {
                        if (f.opcode() == WebSocketFrames.PING) {
                            pings.incrementAndGet();
                            if (answerPings) {
                                synchronized (out) {
                                    WebSocketFrames.write(out, WebSocketFrames.PONG, true, f.payload());
                                    out.flush();
                                }
                            }
                        }
                        if (f.opcode() == WebSocketFrames.CLOSE) {
                            if (f.payload().length >= 2) {
                                closeCodes.add(((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff));
                            }
                            synchronized (out) {
                                WebSocketFrames.write(out, WebSocketFrames.CLOSE, true, f.payload());
                            }
                            break;
                        }
                    }
                } catch (IOException ignored) {
                    // gone
                } finally {
                    gone.countDown();
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }, "fake-jetstream-client-frames");
            t.setDaemon(true);
            t.start();
        }

        void text(String json, int parts) throws IOException {
            synchronized (out) {
                WebSocketFrames.writeText(out, json, parts);
            }
        }

        void raw(byte[] bytes) throws IOException {
            synchronized (out) {
                WebSocketFrames.write(out, WebSocketFrames.TEXT, true, bytes);
                out.flush();
            }
        }

        void close(int code, String reason) throws IOException {
            synchronized (out) {
                WebSocketFrames.writeClose(out, code, reason);
            }
        }

        void hang() throws InterruptedException {
            while (!closed && !gone.await(50, TimeUnit.MILLISECONDS)) {
                // silent
            }
        }
    }
}
