package io.tidings.source.mastodon.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.source.common.testing.WebSocketFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local Mastodon server for tests, speaking the documented protocol on 127.0.0.1 over plain
 * sockets (HTTP/1.1, one request per connection, and RFC 6455 through {@link WebSocketFrames}):
 *
 * <ul>
 *   <li>{@code GET /api/v1/streaming?stream=…} upgrades to a WebSocket. A connection runs the next
 *       {@link Script} when there is one, else it is <em>live</em>: it streams every status
 *       {@link #publish published} (and every event {@link #broadcast}) from then on, as Mastodon
 *       does, {@code {"stream":[…],"event":"update","payload":"<status JSON as a string>"}}.
 *   <li>{@code GET /api/v1/timelines/public}, {@code /tag/:hashtag}, {@code /list/:id} serve the
 *       published statuses with {@code limit} (at most 40), {@code max_id}, {@code since_id} and
 *       {@code min_id} as Mastodon does (each page newest first; {@code min_id} gives the page right
 *       after it), with {@code Link} ({@code rel="next"} older, {@code rel="prev"} newer) and
 *       {@code X-RateLimit-*} headers. {@link #nextTimelineAnswer} scripts faults (429 with
 *       {@code X-RateLimit-Reset}, 5xx, garbage).
 *   <li>{@code GET /api/v1/statuses?id[]=…} (Mastodon 4.3: the statuses that exist, at most 20 ids,
 *       422 beyond) and {@code GET /api/v1/statuses/:id} (404 when gone) look statuses up, as the
 *       source's recheck does; {@link #withoutBatchLookup} answers the first with 404, as servers
 *       before 4.3 do; {@link #nextLookupAnswer} scripts faults.
 *   <li>{@code GET /api/v1/streaming/health} answers {@code OK}.
 *   <li>With {@link #requireToken}, any request without {@code Authorization: Bearer <token>} gets 401.
 * </ul>
 *
 * Every request line is recorded, so tests assert the {@code min_id} a gap fill asked for.
 */
public final class FakeMastodon implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final int MAX_LIMIT = 40;

    private final ServerSocket server;
    private final List<String> statuses = new CopyOnWriteArrayList<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Deque<TimelineAnswer> timelineAnswers = new ArrayDeque<>();
    private final Deque<TimelineAnswer> lookupAnswers = new ArrayDeque<>();
    private volatile boolean batchLookup = true;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final List<BlockingQueue<String>> liveConnections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String token;
    private volatile int rateLimitRemaining = 299;
    private volatile boolean closed;

    public FakeMastodon() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-mastodon-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:<port>}: the server URL a source is given. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** {@code 127.0.0.1:<port>}: what the source's {@code source} field names. */
    public String authority() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, every request must carry {@code Authorization: Bearer <token>} (401 otherwise). */
    public FakeMastodon requireToken(String token) {
        this.token = token;
        return this;
    }

    /** The {@code X-RateLimit-Remaining} timeline answers carry (0: the source should wait for the reset). */
    public FakeMastodon rateLimitRemaining(int remaining) {
        this.rateLimitRemaining = remaining;
        return this;
    }

    /** Adds statuses (Status entity JSON) to the timelines and streams them to the live connections. */
    public FakeMastodon publish(String... statusJsons) {
        for (String status : statusJsons) {
            statuses.add(status);
            broadcast(update(status));
        }
        return this;
    }

    /** Adds statuses to the timelines only: posted while no connection was open to see them. */
    public FakeMastodon publishQuietly(String... statusJsons) {
        statuses.addAll(List.of(statusJsons));
        return this;
    }

    /** Deletes a status: gone from the timelines and lookups, and its {@code delete} event streamed to the live connections. */
    public FakeMastodon deleteStatus(String statusId) {
        deleteQuietly(statusId);
        return broadcast(delete(statusId));
    }

    /** Deletes a status while no connection sees it: only the timelines and lookups know. */
    public FakeMastodon deleteQuietly(String statusId) {
        statuses.removeIf(s -> idOf(s).equals(statusId));
        return this;
    }

    /** Replaces a status by its edited version (same id) while no connection sees it. */
    public FakeMastodon editQuietly(String editedStatusJson) {
        String id = idOf(editedStatusJson);
        statuses.replaceAll(s -> idOf(s).equals(id) ? editedStatusJson : s);
        return this;
    }

    /** Answers {@code GET /api/v1/statuses?id[]=} with 404, as a server older than Mastodon 4.3. */
    public FakeMastodon withoutBatchLookup() {
        this.batchLookup = false;
        return this;
    }

    /** The answer to the next status lookup ({@code /api/v1/statuses…}), instead of the statuses. */
    public synchronized FakeMastodon nextLookupAnswer(int status, String body, String... headerLines) {
        lookupAnswers.add(new TimelineAnswer(status, body, List.of(headerLines)));
        return this;
    }

    /** Request lines of the status lookups. */
    public List<String> lookupRequests() {
        return requests.stream().filter(r -> r.startsWith("GET /api/v1/statuses")).toList();
    }

    /** Streams an event (e.g. {@link #delete}, {@link #statusUpdate}) to the live connections. */
    public FakeMastodon broadcast(String event) {
        liveConnections.forEach(q -> q.add(event));
        return this;
    }

    /** The script for the next streaming connection that has none yet. */
    public synchronized Script nextConnection() {
        Script s = new Script();
        scripts.add(s);
        return s;
    }

    /** The answer to the next timeline request, instead of the statuses (then normal again). */
    public synchronized FakeMastodon nextTimelineAnswer(int status, String body, String... headerLines) {
        timelineAnswers.add(new TimelineAnswer(status, body, List.of(headerLines)));
        return this;
    }

    /** Request lines received, e.g. {@code GET /api/v1/timelines/tag/flink?limit=40&min_id=1}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Request lines of the timeline endpoints. */
    public List<String> timelineRequests() {
        return requests.stream().filter(r -> r.contains("/api/v1/timelines/")).toList();
    }

    /** The status codes of the close frames clients sent (e.g. 1007 after a text frame that is not UTF-8). */
    public List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    /** Request lines of the streaming endpoint. */
    public List<String> streamingRequests() {
        return requests.stream().filter(r -> r.contains("/api/v1/streaming?")).toList();
    }

    /** Streaming connections open and live right now. */
    public int liveConnections() {
        return liveConnections.size();
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

    // ------------------------------------------------------------------ payloads

    /** A status id as Mastodon makes them: creation time in ms shifted by 16 bits, plus a sequence. */
    public static String idAt(long epochMillis, int sequence) {
        return Long.toString((epochMillis << 16) + sequence);
    }

    /** A public status with the fields Mastodon's Status entity documents; {@code id} decides created_at. */
    public static String status(String id, String acct, String text, String... hashtags) {
        long millis = Long.parseLong(id) >>> 16;
        ObjectNode s = MAPPER.createObjectNode();
        s.put("id", id);
        s.put("created_at", Instant.ofEpochMilli(millis).toString());
        s.putNull("in_reply_to_id");
        s.putNull("in_reply_to_account_id");
        s.put("sensitive", false);
        s.put("spoiler_text", "");
        s.put("visibility", "public");
        s.put("language", "en");
        s.put("uri", "https://fake.example/users/" + acct + "/statuses/" + id);
        s.put("url", "https://fake.example/@" + acct + "/" + id);
        s.put("replies_count", 0);
        s.put("reblogs_count", 2);
        s.put("favourites_count", 5);
        s.putNull("edited_at");
        StringBuilder html = new StringBuilder("<p>").append(escape(text));
        ArrayNode tags = MAPPER.createArrayNode();
        for (String tag : hashtags) {
            html.append(" <a href=\"https://fake.example/tags/").append(tag)
                    .append("\" class=\"mention hashtag\" rel=\"tag\">#<span>").append(tag).append("</span></a>");
            ObjectNode t = tags.addObject();
            t.put("name", tag);
            t.put("url", "https://fake.example/tags/" + tag);
        }
        s.put("content", html.append("</p>").toString());
        s.putNull("reblog");
        ObjectNode app = s.putObject("application");
        app.put("name", "Web");
        app.putNull("website");
        ObjectNode account = s.putObject("account");
        account.put("id", "1" + Math.abs(acct.hashCode()));
        account.put("username", acct);
        account.put("acct", acct);
        account.put("display_name", "User " + acct);
        account.put("locked", false);
        account.put("bot", false);
        account.put("created_at", "2022-11-01T00:00:00.000Z");
        account.put("note", "<p></p>");
        account.put("url", "https://fake.example/@" + acct);
        account.put("followers_count", 42);
        account.put("following_count", 7);
        account.put("statuses_count", 100);
        s.putArray("media_attachments");
        s.putArray("mentions");
        s.set("tags", tags);
        s.putArray("emojis");
        s.putNull("card");
        s.putNull("poll");
        return s.toString();
    }

    /** The same status edited at {@code editedAt} to say {@code newText}. */
    public static String edited(String statusJson, String editedAt, String newText) {
        try {
            ObjectNode s = (ObjectNode) MAPPER.readTree(statusJson);
            s.put("edited_at", editedAt);
            s.put("content", "<p>" + escape(newText) + "</p>");
            return s.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a status: " + statusJson, e);
        }
    }

    /** The streaming message of a new status: the payload is the status as a JSON string. */
    public static String update(String statusJson) {
        return event("update", statusJson);
    }

    /** The streaming message of an edit. */
    public static String statusUpdate(String statusJson) {
        return event("status.update", statusJson);
    }

    /** The streaming message of a deletion: the payload is the status id. */
    public static String delete(String statusId) {
        return event("delete", statusId);
    }

    /** A streaming message as Mastodon frames it. */
    public static String event(String name, String payload) {
        ObjectNode e = MAPPER.createObjectNode();
        e.putArray("stream").add("public");
        e.put("event", name);
        e.put("payload", payload);
        return e.toString();
    }

    public static String idOf(String statusJson) {
        try {
            return MAPPER.readTree(statusJson).path("id").asText();
        } catch (IOException e) {
            throw new IllegalArgumentException(statusJson, e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ------------------------------------------------------------------ scripts

    /** What one streaming connection does, step by step. */
    public final class Script {
        private final List<Step> steps = new ArrayList<>();
        private int refuseStatus;
        private List<String> refuseHeaders = List.of();
        private boolean answerPings = true;

        /** Leaves client pings unanswered (a dead peer). */
        public Script ignorePings() {
            this.answerPings = false;
            return this;
        }

        /** Answers the handshake with this HTTP status and header lines instead of 101. */
        public Script refuse(int status, String... headerLines) {
            this.refuseStatus = status;
            this.refuseHeaders = List.of(headerLines);
            return this;
        }

        public Script pause(long millis) {
            steps.add(c -> Thread.sleep(millis));
            return this;
        }

        /** One text message in one frame, as it is (an event, or garbage). */
        public Script send(String message) {
            steps.add(c -> c.text(message, 1));
            return this;
        }

        /** One text frame with these bytes as its payload, UTF-8 or not. */
        public Script sendRaw(byte[] bytes) {
            steps.add(c -> {
                synchronized (c.out) {
                    WebSocketFrames.write(c.out, WebSocketFrames.TEXT, true, bytes);
                    c.out.flush();
                }
            });
            return this;
        }

        /** One text message in {@code parts} frames. */
        public Script sendInParts(String message, int parts) {
            steps.add(c -> c.text(message, parts));
            return this;
        }

        /** A binary frame (the streaming API sends none). */
        public Script sendBinary(byte[] bytes) {
            steps.add(c -> {
                synchronized (c.out) {
                    WebSocketFrames.write(c.out, WebSocketFrames.BINARY, true, bytes);
                    c.out.flush();
                }
            });
            return this;
        }

        /** Publishes a status (into the timelines) and streams its update on this connection. */
        public Script post(String statusJson) {
            steps.add(c -> {
                statuses.add(statusJson);
                c.text(update(statusJson), 1);
            });
            return this;
        }

        /** Goes live from here: streams what is published or broadcast from now on, until the client goes. */
        public void thenLive() {
            steps.add(Connection::live);
        }

        /** Ends the TCP connection with no close frame. */
        public void thenDrop() {
            steps.add(c -> {
                c.out.flush();
                c.socket.shutdownOutput();
                c.gone.await(2, TimeUnit.SECONDS);
                c.socket.close();
            });
        }

        public void thenClose(int code, String reason) {
            steps.add(c -> {
                synchronized (c.out) {
                    WebSocketFrames.writeClose(c.out, code, reason);
                }
                c.socket.close();
            });
        }

        /** Stays open and silent until the client goes (a stall, when pings go unanswered too). */
        public void thenHang() {
            steps.add(Connection::hang);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Connection c) throws Exception;
    }

    private record TimelineAnswer(int status, String body, List<String> headers) {}

    // ------------------------------------------------------------------ server

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "fake-mastodon-conn");
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

    private synchronized TimelineAnswer takeTimelineAnswer() {
        return timelineAnswers.poll();
    }

    private synchronized TimelineAnswer takeLookupAnswer() {
        return lookupAnswers.poll();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String requestLine = WebSocketFrames.readLine(in);
            requests.add(requestLine);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = WebSocketFrames.readLine(in); !line.isEmpty(); line = WebSocketFrames.readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                }
            }
            String target = requestLine.split(" ")[1];
            URI uri = URI.create(target);
            String path = uri.getRawPath();
            Map<String, String> query = query(uri.getRawQuery());
            if (token != null && !("Bearer " + token).equals(headers.get("authorization"))) {
                answer(out, 401, "{\"error\":\"The access token is invalid\"}", List.of());
                return;
            }
            if (path.equals("/api/v1/streaming/health")) {
                answer(out, 200, "OK", List.of("Content-Type: text/plain"));
            } else if (path.equals("/api/v1/streaming")) {
                stream(socket, in, out, headers);
            } else if (path.startsWith("/api/v1/timelines/")) {
                timeline(out, path, query);
            } else if (path.equals("/api/v1/statuses") || path.startsWith("/api/v1/statuses/")) {
                lookup(out, path, uri.getRawQuery());
            } else {
                answer(out, 404, "{\"error\":\"Record not found\"}", List.of());
            }
        } catch (Exception e) {
            // the client went away, or the test ended
        }
    }

    private void timeline(OutputStream out, String path, Map<String, String> query) throws IOException {
        TimelineAnswer scripted = takeTimelineAnswer();
        if (scripted != null) {
            answer(out, scripted.status(), scripted.body(), scripted.headers());
            return;
        }
        int limit = Math.min(MAX_LIMIT, Integer.parseInt(query.getOrDefault("limit", "20")));
        String maxId = query.get("max_id");
        String sinceId = query.get("since_id");
        String minId = query.get("min_id");
        List<String> matching = new ArrayList<>();
        for (String s : statuses) {
            String id = idOf(s);
            if ((maxId == null || compare(id, maxId) < 0) && (sinceId == null || compare(id, sinceId) > 0)
                    && (minId == null || compare(id, minId) > 0)) {
                matching.add(s);
            }
        }
        Comparator<String> byId = (a, b) -> compare(idOf(a), idOf(b));
        List<String> page;
        if (minId != null) {
            // min_id: the statuses right after it (oldest first), listed newest first
            matching.sort(byId);
            page = new ArrayList<>(matching.subList(0, Math.min(limit, matching.size())));
            page.sort(byId.reversed());
        } else {
            matching.sort(byId.reversed());
            page = new ArrayList<>(matching.subList(0, Math.min(limit, matching.size())));
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type: application/json; charset=utf-8",
                "X-RateLimit-Limit: 300", "X-RateLimit-Remaining: " + rateLimitRemaining,
                "X-RateLimit-Reset: " + Instant.now().plusSeconds(300)));
        if (!page.isEmpty()) {
            String base = uri() + path + "?limit=" + limit;
            headers.add("Link: <" + base + "&max_id=" + idOf(page.get(page.size() - 1)) + ">; rel=\"next\", <"
                    + base + "&min_id=" + idOf(page.get(0)) + ">; rel=\"prev\"");
        }
        answer(out, 200, "[" + String.join(",", page) + "]", headers);
    }

    private void lookup(OutputStream out, String path, String rawQuery) throws IOException {
        TimelineAnswer scripted = takeLookupAnswer();
        if (scripted != null) {
            answer(out, scripted.status(), scripted.body(), scripted.headers());
            return;
        }
        List<String> headers = List.of("X-RateLimit-Limit: 300", "X-RateLimit-Remaining: " + rateLimitRemaining,
                "X-RateLimit-Reset: " + Instant.now().plusSeconds(300));
        if (path.startsWith("/api/v1/statuses/")) {
            String id = path.substring("/api/v1/statuses/".length());
            String found = statuses.stream().filter(st -> idOf(st).equals(id)).findFirst().orElse(null);
            if (found == null) {
                answer(out, 404, "{\"error\":\"Record not found\"}", headers);
            } else {
                answer(out, 200, found, headers);
            }
            return;
        }
        if (!batchLookup) {
            answer(out, 404, "<html>The page you were looking for doesn't exist.</html>", List.of("Content-Type: text/html"));
            return;
        }
        List<String> ids = new ArrayList<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            String key = URLDecoder.decode(pair.substring(0, Math.max(0, pair.indexOf('='))), StandardCharsets.UTF_8);
            if (key.equals("id[]")) {
                ids.add(URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
            }
        }
        if (ids.size() > 20) {
            answer(out, 422, "{\"error\":\"Validation failed\"}", headers);
            return;
        }
        List<String> found = new ArrayList<>();
        for (String st : statuses) {
            if (ids.contains(idOf(st))) {
                found.add(st);
            }
        }
        answer(out, 200, "[" + String.join(",", found) + "]", headers);
    }

    private void stream(Socket socket, InputStream in, OutputStream out, Map<String, String> headers) throws Exception {
        Script script = takeScript();
        if (script != null && script.refuseStatus != 0) {
            answer(out, script.refuseStatus, "{\"error\":\"refused by the test\"}", script.refuseHeaders);
            return;
        }
        String key = headers.get("sec-websocket-key");
        if (key == null) {
            answer(out, 400, "{\"error\":\"not a WebSocket handshake\"}", List.of());
            return;
        }
        Connection c = new Connection(socket, in, out);
        out.write(WebSocketFrames.switchingProtocols(key));
        out.flush();
        c.startReadingClientFrames(script == null || script.answerPings);
        if (script == null) {
            c.live();
            return;
        }
        for (Step step : script.steps) {
            step.run(c);
        }
    }

    private static void answer(OutputStream out, int status, String body, List<String> headerLines) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Error").append("\r\n");
        boolean contentType = false;
        for (String h : headerLines) {
            head.append(h).append("\r\n");
            contentType |= h.toLowerCase().startsWith("content-type:");
        }
        if (!contentType) {
            head.append("Content-Type: application/json; charset=utf-8\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static int compare(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final CountDownLatch gone = new CountDownLatch(1);

        Connection(Socket socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        void startReadingClientFrames(boolean answerPings) {
            Thread t = new Thread(() -> {
                try {
                    for (WebSocketFrames.Frame f = WebSocketFrames.read(in); f != null; f = WebSocketFrames.read(in)) {
                        if (f.opcode() == WebSocketFrames.PING && answerPings) {
                            synchronized (out) {
                                WebSocketFrames.write(out, WebSocketFrames.PONG, true, f.payload());
                                out.flush();
                            }
                        }
                        if (f.opcode() == WebSocketFrames.CLOSE) {
                            if (f.payload().length >= 2) {
                                closeCodes.add(((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff));
                            }
                            synchronized (out) {
                                WebSocketFrames.write(out, WebSocketFrames.CLOSE, true, f.payload());
                                out.flush();
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
            }, "fake-mastodon-client-frames");
            t.setDaemon(true);
            t.start();
        }

        void text(String message, int parts) throws IOException {
            synchronized (out) {
                WebSocketFrames.writeText(out, message, parts);
            }
        }

        void live() throws Exception {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            liveConnections.add(queue);
            try {
                while (!closed && gone.getCount() > 0) {
                    String event = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (event != null) {
                        text(event, 1);
                    }
                }
            } finally {
                liveConnections.remove(queue);
            }
        }

        void hang() throws InterruptedException {
            while (!closed && !gone.await(50, TimeUnit.MILLISECONDS)) {
                // silent
            }
        }
    }
}
