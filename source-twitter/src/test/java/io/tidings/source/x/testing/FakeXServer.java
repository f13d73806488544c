package io.tidings.source.x.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tidings.source.x.split.XStreamSplit;

/**
 * A local stand-in for api.x.com speaking the documented wire protocol: the filtered stream as
 * chunked NDJSON (scripted per connection: lines, keep-alives, pauses, partial lines, error
 * statuses), the rules endpoints (GET, POST add/delete, dry_run, ids, meta.summary), recent search
 * (scripted pages with next_token and rate-limit headers; unscripted, the posts X holds ({@link
 * #holdsPost}) after {@code since_id} or from {@code start_time}, newest first, {@code max_results}
 * a page with {@code next_token}; {@code start_time} and {@code max_results} validated with 400s as X
 * does, against the server's clock), 403 {@code client-not-enrolled} for an app without access
 * ({@link #withoutApiAccess}), the post compliance stream (per
 * partition scripts; {@code partition} and {@code backfill_minutes} validated with 400s as X does;
 * 403 for an access level without it; unscripted connections send a keep-alive every half second),
 * and 401 for a wrong bearer token.
 */
public final class FakeXServer implements AutoCloseable {
    public static final String TOKEN = "test-token-not-a-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** X's answer to a valid token of an app without access to the v2 endpoints. */
    private static final String CLIENT_NOT_ENROLLED = "{\"client_id\":\"101\",\"detail\":\"When authenticating requests to"
            + " the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a"
            + " Project. You can create a project via the developer portal.\",\"registration_url\":"
            + "\"https://developer.twitter.com/en/docs/projects/overview\",\"title\":\"Client Forbidden\","
            + "\"required_enrollment\":\"Appropriate Level of API Access\",\"reason\":\"client-not-enrolled\","
            + "\"type\":\"https://api.twitter.com/2/problems/client-forbidden\"}";
    /** How X writes {@code created_at}: milliseconds, UTC. */
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    /** X's {@code start_time}: {@code YYYY-MM-DDTHH:mm:ssZ} (milliseconds allowed). */
    private static final Pattern START_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-x");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<StreamScript> streams = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Reply> searches = new ConcurrentLinkedQueue<>();
    private final Map<String, String[]> rules = Collections.synchronizedMap(new LinkedHashMap<>());
    private long nextRuleId = 1000;
    private volatile int streamConnections;
    private final Map<Integer, ConcurrentLinkedQueue<StreamScript>> complianceStreams = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean complianceAccess = true;
    private volatile boolean apiAccess = true;
    /** Posts recent search finds, by created_at; no stream sends them. */
    private final List<ObjectNode> heldPosts = Collections.synchronizedList(new ArrayList<>());
    /** "Now" for X's time rules on {@code start_time}. */
    private volatile LongSupplier clock = System::currentTimeMillis;
    /** The open unscripted stream connections of {@link #following()}: each one's lines to send. */
    private final List<java.util.concurrent.BlockingQueue<String>> liveStreams = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean following;

    public FakeXServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/2/tweets/search/stream/rules", ex -> handle(ex, this::rules));
        server.createContext("/2/tweets/search/stream", ex -> handle(ex, this::stream));
        server.createContext("/2/tweets/search/recent", ex -> handle(ex, this::recent));
        server.createContext("/2/tweets/compliance/stream", ex -> handle(ex, this::compliance));
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request as "METHOD /path?query" (and the body, for POSTs), in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public int streamConnections() {
        return streamConnections;
    }

    // ------------------------------------------------------------------ scripting

    /** A rule X already holds. */
    public FakeXServer holdsRule(String id, String value, String tag) {
        rules.put(id, new String[] {value, tag});
        return this;
    }

    /** The rules X holds now, as value → tag. */
    public Map<String, String> rulesByValue() {
        Map<String, String> out = new LinkedHashMap<>();
        synchronized (rules) {
            rules.values().forEach(r -> out.put(r[0], r[1]));
        }
        return out;
    }

    /** The next stream connection (connections past the script hang with no bytes). */
    public StreamScript nextStream() {
        StreamScript s = new StreamScript();
        streams.add(s);
        return s;
    }

    /**
     * A post X holds, created at {@code createdAt}: recent search finds it (whatever the query: every
     * rule's search finds every post held) once no scripted answer is left. No stream sends it.
     */
    public FakeXServer holdsPost(String id, Instant createdAt) {
        ObjectNode post = JSON.createObjectNode();
        post.put("id", id).put("text", "found " + id).put("author_id", "u" + id).put("created_at", CREATED_AT.format(createdAt));
        heldPosts.add(post);
        return this;
    }

    /**
     * Stream connections without a script then behave as X's filtered stream does: they send every post
     * {@link #publish published} while they are open (and a keep-alive each second while quiet), instead
     * of hanging with no bytes.
     */
    public FakeXServer following() {
        this.following = true;
        return this;
    }

    /** Posts {@code id}: recent search finds it from now on, and the open {@link #following()} streams send it. */
    public FakeXServer publish(String id, String text, String... tags) {
        holdsPost(id, Instant.ofEpochMilli(clock.getAsLong()));
        String line = tweet(id, text, tags) + "\r\n";
        liveStreams.forEach(q -> q.add(line));
        return this;
    }

    /** Unscripted stream connections open now (with {@link #following()}). */
    public int liveStreams() {
        return liveStreams.size();
    }

    /** "Now" for X's rules on {@code start_time} (at least 10 seconds ago, at most 7 days); default the system clock. */
    public FakeXServer clock(LongSupplier nowMillis) {
        this.clock = nowMillis;
        return this;
    }

    /** The recent-search requests received, as "/2/tweets/search/recent?query". */
    public List<String> searchRequests() {
        return requests().stream().filter(r -> r.startsWith("GET /2/tweets/search/recent"))
                .map(r -> r.substring(4)).toList();
    }

    /** The next recent-search answer (past the script: the posts held, see {@link #holdsPost}). */
    public FakeXServer searchReply(int status, String body, Map<String, String> headers) {
        searches.add(new Reply(status, body, headers));
        return this;
    }

    public record Reply(int status, String body, Map<String, String> headers) {}

    /** The next connection to this partition of the compliance stream (past the script: keep-alives only). */
    public StreamScript nextComplianceStream(int partition) {
        StreamScript s = new StreamScript();
        complianceStreams.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>()).add(s);
        return s;
    }

    /**
     * Answer every request with 403 {@code client-not-enrolled}, as X does for a valid bearer token whose
     * app is not attached to a Project (or lacks the access level).
     */
    public FakeXServer withoutApiAccess() {
        apiAccess = false;
        return this;
    }

    /** Answer the compliance stream with 403, as X does for access levels other than Enterprise. */
    public FakeXServer withoutComplianceAccess() {
        complianceAccess = false;
        return this;
    }

    /** The compliance stream requests received, as "/2/tweets/compliance/stream?query". */
    public List<String> complianceRequests() {
        return requests().stream().filter(r -> r.startsWith("GET /2/tweets/compliance/stream"))
                .map(r -> r.substring(4)).toList();
    }

    /** What one stream connection does. */
    public static final class StreamScript {
        int status = 200;
        Map<String, String> headers = new LinkedHashMap<>();
        String errorBody = "";
        final List<Object> steps = new ArrayList<>();
        boolean hangAtEnd;

        /** Answer with an error status and body instead of a stream. */
        public StreamScript status(int status, String body) {
            this.status = status;
            this.errorBody = body;
            return this;
        }

        public StreamScript header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Send bytes as one chunk (flushed). */
        public StreamScript send(String text) {
            steps.add(text);
            return this;
        }

        /** Send one line with X's \r\n terminator. */
        public StreamScript line(String json) {
            return send(json + "\r\n");
        }

        /** A keep-alive. */
        public StreamScript keepAlive() {
            return send("\r\n");
        }

        public StreamScript pause(long millis) {
            steps.add(millis);
            return this;
        }

        /** After the steps, keep the connection open sending nothing (a stall) instead of closing it. */
        public StreamScript thenHang() {
            hangAtEnd = true;
            return this;
        }
    }

    // ------------------------------------------------------------------ handlers

    private interface Handler {
        void handle(HttpExchange ex, String body) throws Exception;
    }

    private void handle(HttpExchange ex, Handler h) throws IOException {
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String uri = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            requests.add(ex.getRequestMethod() + " " + uri + (body.isEmpty() ? "" : " " + body));
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}", Map.of());
                return;
            }
            if (!apiAccess) {
                reply(ex, 403, CLIENT_NOT_ENROLLED, Map.of());
                return;
            }
            h.handle(ex, body);
        } catch (IOException e) {
            // the client went away
        } catch (Exception e) {
            reply(ex, 500, "{\"title\":\"fake server bug\",\"detail\":\"" + e + "\"}", Map.of());
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void stream(HttpExchange ex, String body) throws Exception {
        streamConnections++;
        StreamScript s = streams.poll();
        if (s == null && following) {
            follow(ex);
            return;
        }
        if (s == null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().flush();
            shutdown.await();
            return;
        }
        serve(ex, s);
    }

    /** The post compliance stream: GET /2/tweets/compliance/stream?partition=1..4[&backfill_minutes=0..5]. */
    private void compliance(HttpExchange ex, String body) throws Exception {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        if (!complianceAccess) {
            reply(ex, 403, "{\"title\":\"Client Forbidden\",\"type\":\"https://api.x.com/2/problems/client-forbidden\","
                    + "\"reason\":\"client-not-enrolled\",\"required_enrollment\":\"Appropriate Level of API Access\","
                    + "\"detail\":\"This request must be made using an approved developer account that is enrolled in the"
                    + " requested endpoint.\"}", Map.of());
            return;
        }
        String partition = query.get("partition");
        if (partition == null || partition.isEmpty()) {
            reply(ex, 400, invalidRequest("partition", "The `partition` query parameter can not be empty"), Map.of());
            return;
        }
        if (!List.of("1", "2", "3", "4").contains(partition)) {
            reply(ex, 400, invalidRequest("partition",
                    "The `partition` query parameter value [" + partition + "] is not one of [1, 2, 3, 4]"), Map.of());
            return;
        }
        String backfill = query.get("backfill_minutes");
        if (backfill != null && !List.of("0", "1", "2", "3", "4", "5").contains(backfill)) {
            reply(ex, 400, invalidRequest("backfill_minutes",
                    "The `backfill_minutes` query parameter value [" + backfill + "] is not between 0 and 5"), Map.of());
            return;
        }
        ConcurrentLinkedQueue<StreamScript> scripts = complianceStreams.get(Integer.parseInt(partition));
        StreamScript s = scripts == null ? null : scripts.poll();
        if (s == null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            do {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII)); // throws once the client has gone
                out.flush();
            } while (!shutdown.await(500, TimeUnit.MILLISECONDS));
            return;
        }
        serve(ex, s);
    }

    private static String invalidRequest(String parameter, String message) {
        return invalidRequest(parameter, null, message);
    }

    private static String invalidRequest(String parameter, String value, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        ArrayNode values = error.putObject("parameters").putArray(parameter);
        if (value != null) {
            values.add(value);
        }
        error.put("message", message);
        root.put("title", "Invalid Request").put("detail", "One or more parameters to your request was invalid.")
                .put("type", "https://api.x.com/2/problems/invalid-request");
        return root.toString();
    }

    /** The query's parameters, values decoded. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                out.put(eq < 0 ? pair : pair.substring(0, eq),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** An unscripted stream connection of {@link #following()}: what is published while it is open, keep-alives between. */
    private void follow(HttpExchange ex) throws Exception {
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0); // chunked
        OutputStream out = ex.getResponseBody();
        out.flush();
        liveStreams.add(lines);
        try {
            while (shutdown.getCount() > 0) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                out.write((line == null ? "\r\n" : line).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } finally {
            liveStreams.remove(lines);
        }
    }

    /** Plays one scripted streaming connection: an error status, or chunked NDJSON step by step. */
    private void serve(HttpExchange ex, StreamScript s) throws Exception {
        if (s.status != 200) {
            reply(ex, s.status, s.errorBody, s.headers);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("x-rate-limit-limit", "50");
        ex.getResponseHeaders().set("x-rate-limit-remaining", "49");
        s.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(200, 0); // chunked
        OutputStream out = ex.getResponseBody();
        for (Object step : s.steps) {
            if (step instanceof String text) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else if (shutdown.await((Long) step, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        if (s.hangAtEnd) {
            shutdown.await();
        }
    }

    /** GET /2/tweets/search/recent: parameters checked as X does, then a scripted answer or the posts held. */
    private void recent(HttpExchange ex, String body) throws Exception {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String invalid = invalidSearch(query);
        if (invalid != null) {
            reply(ex, 400, invalid, Map.of());
            return;
        }
        Reply r = searches.poll();
        if (r == null) {
            r = new Reply(200, heldPostsPage(query), Map.of());
        }
        reply(ex, r.status(), r.body(), r.headers());
    }

    /** X's 400 for a recent-search request it refuses, or null. */
    private String invalidSearch(Map<String, String> query) {
        String q = query.get("query");
        if (q == null || q.isEmpty() || q.length() > 512) {
            return invalidRequest("query", q, "The `query` query parameter must be 1 to 512 characters");
        }
        String maxResults = query.get("max_results");
        if (maxResults != null && !maxResults.matches("[1-9]\\d|100")) {
            return invalidRequest("max_results", maxResults,
                    "The `max_results` query parameter value [" + maxResults + "] is not between 10 and 100");
        }
        String startTime = query.get("start_time");
        if (startTime != null) {
            Instant start;
            try {
                start = START_TIME.matcher(startTime).matches() ? Instant.parse(startTime) : null;
            } catch (DateTimeParseException e) {
                start = null;
            }
            if (start == null) {
                return invalidRequest("start_time", startTime, "Invalid 'start_time':'" + startTime
                        + "'. 'start_time' must be a valid timestamp in the format YYYY-MM-DDTHH:mm:ssZ.");
            }
            Instant now = Instant.ofEpochMilli(clock.getAsLong());
            if (start.isAfter(now.minusSeconds(10))) {
                return invalidRequest("start_time", startTime, "Invalid 'start_time':'" + startTime
                        + "'. 'start_time' must be a minimum of 10 seconds prior to the request time.");
            }
            Instant oldest = now.minus(Duration.ofDays(7));
            if (start.isBefore(oldest)) {
                return invalidRequest("start_time", startTime, "Invalid 'start_time':'" + startTime
                        + "'. 'start_time' must be on or after " + oldest + ".");
            }
        }
        return null;
    }

    /** The held posts after since_id and from start_time, newest first, one page of max_results (default 10). */
    private String heldPostsPage(Map<String, String> query) {
        String sinceId = query.get("since_id");
        Instant startTime = query.containsKey("start_time") ? Instant.parse(query.get("start_time")) : null;
        List<ObjectNode> found = new ArrayList<>();
        synchronized (heldPosts) {
            for (ObjectNode post : heldPosts) {
                String id = post.path("id").asText();
                if ((sinceId == null || XStreamSplit.compareIds(id, sinceId) > 0) && (startTime == null
                        || !Instant.parse(post.path("created_at").asText()).isBefore(startTime))) {
                    found.add(post);
                }
            }
        }
        found.sort((a, b) -> XStreamSplit.compareIds(b.path("id").asText(), a.path("id").asText()));
        int size = Integer.parseInt(query.getOrDefault("max_results", "10"));
        int from = query.containsKey("next_token") ? Integer.parseInt(query.get("next_token").substring("page-".length())) : 0;
        int to = Math.min(found.size(), from + size);
        return page(found.subList(Math.min(from, to), to), to < found.size() ? "page-" + to : null);
    }

    private void rules(HttpExchange ex, String body) throws Exception {
        String query = ex.getRequestURI().getRawQuery();
        boolean dryRun = query != null && query.contains("dry_run=true");
        ObjectNode resp = JSON.createObjectNode();
        ObjectNode meta = resp.putObject("meta");
        meta.put("sent", "2026-11-20T10:00:00.000Z");
        if (ex.getRequestMethod().equals("GET")) {
            ArrayNode data = JSON.createArrayNode();
            synchronized (rules) {
                rules.forEach((id, r) -> data.addObject().put("id", id).put("value", r[0]).put("tag", r[1]));
            }
            if (!data.isEmpty()) {
                resp.set("data", data);
            }
            meta.put("result_count", data.size());
            reply(ex, 200, resp.toString(), Map.of());
            return;
        }
        JsonNode req = JSON.readTree(body);
        ArrayNode errors = JSON.createArrayNode();
        ObjectNode summary = meta.putObject("summary");
        if (req.has("add")) {
            ArrayNode data = JSON.createArrayNode();
            int valid = 0;
            for (JsonNode add : req.path("add")) {
                String value = add.path("value").asText();
                String existing = idOfValue(value);
                if (value.contains("((")) {
                    errors.addObject().put("value", value).put("title", "UnprocessableEntity")
                            .put("type", "https://api.x.com/2/problems/invalid-rules")
                            .putArray("details").add("Unmatched parenthesis. (at position 1)");
                } else if (existing != null) {
                    errors.addObject().put("value", value).put("id", existing).put("title", "DuplicateRule")
                            .put("type", "https://api.x.com/2/problems/duplicate-rules");
                } else {
                    valid++;
                    String id = dryRun ? "0" : String.valueOf(nextRuleId++);
                    if (!dryRun) {
                        rules.put(id, new String[] {value, add.path("tag").asText()});
                    }
                    data.addObject().put("value", value).put("tag", add.path("tag").asText()).put("id", id);
                }
            }
            int invalid = errors.size();
            summary.put("created", dryRun ? 0 : valid).put("not_created", dryRun ? valid + invalid : invalid)
                    .put("valid", valid).put("invalid", invalid);
            if (!data.isEmpty()) {
                resp.set("data", data);
            }
        } else if (req.has("delete")) {
            int deleted = 0;
            int notDeleted = 0;
            for (JsonNode id : req.path("delete").path("ids")) {
                if (!dryRun && rules.remove(id.asText()) != null || dryRun && rules.containsKey(id.asText())) {
                    deleted++;
                } else {
                    notDeleted++;
                }
            }
            summary.put("deleted", deleted).put("not_deleted", notDeleted);
        } else {
            reply(ex, 400, "{\"errors\":[{\"message\":\"Request must have add or delete\"}],\"title\":\"Invalid Request\"}", Map.of());
            return;
        }
        if (!errors.isEmpty()) {
            resp.set("errors", errors);
        }
        reply(ex, req.has("add") && !dryRun ? 201 : 200, resp.toString(), Map.of());
    }

    private String idOfValue(String value) {
        synchronized (rules) {
            for (Map.Entry<String, String[]> e : rules.entrySet()) {
                if (e.getValue()[0].equals(value)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ documents

    /** A stream message for one post, with its author expanded and the rules it matched. */
    public static String tweet(String id, String text, String... tags) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("id", id).put("text", text).put("author_id", "u" + id).put("created_at", "2026-11-20T10:00:00.000Z")
                .put("lang", "en");
        data.putArray("edit_history_tweet_ids").add(id);
        root.putObject("includes").putArray("users").addObject().put("id", "u" + id).put("username", "user" + id)
                .put("name", "User " + id);
        ArrayNode rules = root.putArray("matching_rules");
        for (String tag : tags) {
            rules.addObject().put("id", "1" + tag.length()).put("tag", tag);
        }
        return root.toString();
    }

    /** A post compliance stream event: {@code delete} of a post, as X sends it. */
    public static String complianceDelete(String id, String authorId, String eventAt) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode delete = root.putObject("data").putObject("delete");
        delete.putObject("tweet").put("id", id).put("author_id", authorId);
        delete.put("event_at", eventAt);
        return root.toString();
    }

    /** A recent-search page with these post ids (each by its own author), and a next_token or none. */
    public static String searchPage(String nextToken, String... ids) {
        List<ObjectNode> posts = new ArrayList<>();
        for (String id : ids) {
            posts.add(JSON.createObjectNode().put("id", id).put("text", "found " + id).put("author_id", "u" + id)
                    .put("created_at", "2026-11-20T09:59:00.000Z"));
        }
        return page(posts, nextToken);
    }

    /** A recent-search page of these posts, each author in the includes (and one unrelated user). */
    private static String page(List<ObjectNode> posts, String nextToken) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        ArrayNode users = root.putObject("includes").putArray("users");
        for (ObjectNode post : posts) {
            data.add(post);
            String id = post.path("id").asText();
            users.addObject().put("id", "u" + id).put("username", "user" + id);
        }
        users.addObject().put("id", "unrelated").put("username", "nobody");
        ObjectNode meta = root.putObject("meta");
        meta.put("result_count", posts.size());
        if (!posts.isEmpty()) {
            meta.put("newest_id", posts.get(0).path("id").asText())
                    .put("oldest_id", posts.get(posts.size() - 1).path("id").asText());
        }
        if (nextToken != null) {
            meta.put("next_token", nextToken);
        }
        return root.toString();
    }

    @Override
    public void close() {
        shutdown.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
