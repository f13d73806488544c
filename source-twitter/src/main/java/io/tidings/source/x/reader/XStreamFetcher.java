package io.tidings.source.x.reader;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchLoop;
import io.tidings.source.common.SourceClock;
import io.tidings.source.x.source.XSourceMode;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop that runs on the reader's own thread: rule sync, then either the filtered stream
 * (connect, gap fill, read lines, reconnect with X's back-off) or recent-search polling. Everything
 * it fetches goes to an {@link XFetchSink}; every wait goes through the {@link SourceClock}.
 *
 * <p>Stream lines: a blank line is a keep-alive; a JSON object with {@code data} is a post and is
 * emitted as received (source {@code x-stream}); an object with only {@code errors} is logged and
 * counted, and an operational disconnect ends the connection; anything else (invalid JSON, unknown
 * message types) is emitted too, so that nothing is lost: the normalizer dead-letters it.
 */
@Internal
public final class XStreamFetcher implements FetchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamFetcher.class);

    public static final String STREAM_PATH = "/2/tweets/search/stream";
    public static final String SOURCE = "x-stream";
    /** What a post needs downstream; the same for the stream and recent search. */
    public static final String FIELDS = "tweet.fields=created_at,author_id,lang,public_metrics,entities,"
            + "referenced_tweets,geo,note_tweet,conversation_id"
            + "&expansions=author_id,geo.place_id,referenced_tweets.id"
            + "&user.fields=username,name,location,public_metrics"
            + "&place.fields=full_name,geo,country_code";

    private final XStreamSourceConfig config;
    private final XApiClient client;
    private final SourceClock clock;
    private final XFetchSink sink;
    private final XReaderMetrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final XBackoff backoff = new XBackoff();
    private final XRecentSearch search;

    /** The newest post id fetched so far (what gap fill and polling search since). */
    private volatile String newestId;
    private volatile boolean running = true;
    private volatile XStreamBody currentBody;
    private volatile Throwable failure;
    private long connections;

    public XStreamFetcher(XStreamSourceConfig config, XApiClient client, String startAfterId, XFetchSink sink,
            XReaderMetrics metrics) {
        this.config = config;
        this.client = client;
        this.clock = config.clock();
        this.sink = sink;
        this.metrics = metrics;
        this.newestId = startAfterId;
        this.search = new XRecentSearch(client, mapper, clock, metrics, sink);
    }

    @Override
    public void run() {
        try {
            if (config.syncRules() && config.mode() == XSourceMode.STREAM) {
                syncRules();
            }
            if (config.mode() == XSourceMode.STREAM) {
                streamLoop();
            } else {
                pollLoop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (running) {
                LOG.error("X source failed: {}", t.getMessage());
                failure = t;
            }
        } finally {
            LOG.info("X fetcher stopped");
        }
    }

    /** The error that ended the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    public String newestId() {
        return newestId;
    }

    /** Stops the loop and drops the connection; the caller interrupts the thread. */
    public void stop() {
        running = false;
        XStreamBody body = currentBody;
        if (body != null) {
            body.cancel();
        }
    }

    // ---------------------------------------------------------------- rules

    void syncRules() throws InterruptedException {
        XRuleSync sync = new XRuleSync(client, mapper);
        while (running) {
            try {
                sync.sync(config.rules());
                backoff.reset();
                return;
            } catch (XApiException e) {
                metrics.errors.incrementAndGet();
                if (e.isPermanent()) {
                    throw new XSourceException("X rule sync failed: " + e.getMessage()
                            + (e.status() == 401 || e.status() == 403 ? " (is the bearer token right? "
                                    + config.bearerToken().describe() + ")" : ""), e);
                }
                long wait = e.isRateLimited() ? backoff.rateLimited(e.rateLimitReset(), clock.nowMillis()) : backoff.http();
                backOff("rule sync: " + e.getMessage(), wait);
            } catch (IOException e) {
                metrics.errors.incrementAndGet();
                backOff("rule sync: " + e, backoff.network());
            }
        }
    }

    // ---------------------------------------------------------------- stream

    /** How one connection ended. */
    enum End { DROPPED_AFTER_DATA, NETWORK_ERROR, HTTP_ERROR, RATE_LIMITED }

    record ConnectionResult(End end, String reason, Long rateLimitReset) {}

    void streamLoop() throws InterruptedException {
        while (running) {
            ConnectionResult result = connectOnce();
            if (!running) {
                return;
            }
            long wait;
            switch (result.end()) {
                case DROPPED_AFTER_DATA -> {
                    backoff.reset();
                    wait = 0;
                }
                case NETWORK_ERROR -> wait = backoff.network();
                case HTTP_ERROR -> wait = backoff.http();
                default -> wait = backoff.rateLimited(result.rateLimitReset(), clock.nowMillis());
            }
            LOG.info("X stream disconnected: {}", result.reason());
            if (result.end() != End.DROPPED_AFTER_DATA) {
                metrics.errors.incrementAndGet();
            }
            if (wait > 0) {
                backOff(result.reason(), wait);
            } else {
                LOG.info("X stream reconnecting at once (the connection had delivered data)");
            }
            metrics.reconnects.incrementAndGet();
        }
    }

    private void backOff(String reason, long wait) throws InterruptedException {
        if (backoff.atMaximum()) {
            LOG.error("X source back-off reached its maximum ({} ms) after: {}", wait, reason);
        }
        LOG.info("X source backing off {} ms ({})", wait, reason);
        metrics.currentBackoffMs.set(wait);
        try {
            clock.sleep(wait);
        } finally {
            metrics.currentBackoffMs.set(0);
        }
    }

    ConnectionResult connectOnce() throws InterruptedException {
        long connection = ++connections;
        LOG.info("X stream connecting to {}{} (connection {})", client.apiBase(), STREAM_PATH, connection);
        XApiClient.StreamResponse resp;
        try {
            resp = client.openStream(STREAM_PATH + "?" + FIELDS);
        } catch (IOException e) {
            return new ConnectionResult(End.NETWORK_ERROR, "network error connecting: " + e, null);
        }
        XStreamBody body = resp.body();
        currentBody = body;
        try {
            if (!running) {
                return new ConnectionResult(End.NETWORK_ERROR, "stopped", null);
            }
            if (resp.status() != 200) {
                String text = drain(body, 64 * 1024);
                Long reset = resp.longHeader("x-rate-limit-reset");
                String reason = "HTTP " + resp.status() + " " + XApiException.abbreviate(text);
                if (resp.status() == 401 || resp.status() == 403) {
                    reason += " (is the bearer token right? " + config.bearerToken().describe() + ")";
                }
                if (text.contains("TooManyConnections")) {
                    reason += " (another connection holds the stream; DELETE /2/connections/all clears a stale one)";
                }
                return new ConnectionResult(resp.status() == 429 ? End.RATE_LIMITED : End.HTTP_ERROR, reason, reset);
            }
            LOG.info("X stream connected (connection {}, x-rate-limit-remaining {})", connection,
                    resp.headers().firstValue("x-rate-limit-remaining").orElse("?"));
            if (config.gapFill() && newestId != null) {
                gapFill();
            }
            return readLines(body, connection);
        } finally {
            body.cancel();
            currentBody = null;
        }
    }

    private void gapFill() throws InterruptedException {
        String since = newestId;
        LOG.info("X gap fill: recent search for {} rules since post {}", config.rules().size(), since);
        XRecentSearch.Outcome outcome = search.search(config.rules(), since, false);
        LOG.info("X gap fill {}: {} posts, newest {}", outcome.complete() ? "complete" : "INCOMPLETE",
                outcome.records(), outcome.newestId());
        if (outcome.complete() && outcome.newestId() != null) {
            advanceTo(outcome.newestId());
        }
    }

    private ConnectionResult readLines(XStreamBody body, long connection) throws InterruptedException {
        XLineSplitter splitter = new XLineSplitter();
        boolean delivered = false;
        long lineNo = 0;
        while (running) {
            Object event = body.poll(config.stallTimeoutMs());
            if (event == null) {
                return ended(delivered, "stall: nothing, not even a keep-alive, for " + config.stallTimeoutMs() + " ms");
            }
            if (event == XStreamBody.END || event instanceof Throwable) {
                int partial = splitter.pendingBytes();
                splitter.discard();
                String why = event == XStreamBody.END ? "the server closed the stream" : "connection failed: " + event;
                return ended(delivered, why + (partial > 0 ? " (discarded a partial line of " + partial + " bytes)" : ""));
            }
            delivered = true;
            for (byte[] line : splitter.feed((byte[]) event)) {
                lineNo++;
                String disconnect = handleLine(line, connection, lineNo);
                if (disconnect != null) {
                    return ended(true, disconnect);
                }
            }
        }
        return new ConnectionResult(End.DROPPED_AFTER_DATA, "stopped", null);
    }

    static ConnectionResult ended(boolean delivered, String reason) {
        return new ConnectionResult(delivered ? End.DROPPED_AFTER_DATA : End.NETWORK_ERROR, reason, null);
    }

    /** Handles one complete line; returns a reason when the line asks us to disconnect. */
    String handleLine(byte[] line, long connection, long lineNo) throws InterruptedException {
        if (isBlank(line)) {
            return null;
        }
        long receivedAt = clock.nowMillis();
        JsonNode root = null;
        try {
            root = mapper.readTree(line);
        } catch (IOException e) {
            // emitted below as is
        }
        if (root == null || !root.isObject()) {
            metrics.invalidLines.incrementAndGet();
            LOG.warn("X stream line {} of connection {} is not a JSON object ({} bytes): emitted for the dead letters",
                    lineNo, connection, line.length);
            emit(new RawRecord(SOURCE, "connection " + connection + " line " + lineNo + " (not JSON)", line, receivedAt), null);
            return null;
        }
        JsonNode data = root.path("data");
        if (data.isObject()) {
            String id = data.path("id").asText(null);
            RawRecord record = new RawRecord(SOURCE,
                    id == null ? "connection " + connection + " line " + lineNo : "tweet " + id, line, receivedAt);
            List<String> tags = new ArrayList<>();
            for (JsonNode rule : root.path("matching_rules")) {
                String tag = rule.path("tag").asText(null);
                if (tag != null) {
                    tags.add(tag);
                }
            }
            record.matchedRules = tags.toArray(new String[0]);
            noteCreatedAt(metrics, data);
            metrics.received.incrementAndGet();
            emit(record, id);
            return null;
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            metrics.errors.incrementAndGet();
            String text = XRuleSync.describeErrors(errors);
            LOG.warn("X stream error message on connection {}: {}", connection, text);
            for (JsonNode e : errors) {
                String title = e.path("title").asText("");
                String type = e.path("type").asText("");
                if (title.equals("operational-disconnect") || type.endsWith("/operational-disconnect")
                        || e.has("disconnect_type") || title.equals("ConnectionException")) {
                    return "X asked to disconnect: " + text;
                }
            }
            return null;
        }
        LOG.warn("X stream line {} of connection {} is an unknown message type: emitted for the dead letters", lineNo, connection);
        emit(new RawRecord(SOURCE, "connection " + connection + " line " + lineNo, line, receivedAt), null);
        return null;
    }

    private void emit(RawRecord record, String id) throws InterruptedException {
        if (id != null) {
            if (newestId == null || XStreamSplit.compareIds(id, newestId) > 0) {
                newestId = id;
            }
            sink.accept(XFetchedElement.advancing(record, id));
        } else {
            sink.accept(XFetchedElement.record(record, null));
        }
    }

    private void advanceTo(String id) throws InterruptedException {
        if (newestId == null || XStreamSplit.compareIds(id, newestId) > 0) {
            newestId = id;
        }
        sink.accept(XFetchedElement.positionAdvance(id));
    }

    // ---------------------------------------------------------------- polling

    void pollLoop() throws InterruptedException {
        while (running) {
            String since = newestId;
            LOG.info("X poll: recent search for {} rules{}", config.rules().size(),
                    since == null ? " (newest page only: no position yet)" : " since post " + since);
            XRecentSearch.Outcome outcome = search.search(config.rules(), since, true);
            LOG.info("X poll {}: {} posts, newest {}", outcome.complete() ? "complete" : "INCOMPLETE",
                    outcome.records(), outcome.newestId());
            if (outcome.complete() && outcome.newestId() != null) {
                advanceTo(outcome.newestId());
            }
            clock.sleep(config.pollIntervalMs());
        }
    }

    // ---------------------------------------------------------------- helpers

    static void noteCreatedAt(XReaderMetrics metrics, JsonNode tweet) {
        String createdAt = tweet.path("created_at").asText(null);
        if (createdAt != null) {
            try {
                metrics.sawCreatedAt(Instant.parse(createdAt).toEpochMilli());
            } catch (DateTimeParseException e) {
                // the normalizer judges the post; the lag gauge just skips it
            }
        }
    }

    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private String drain(XStreamBody body, int maxBytes) throws InterruptedException {
        return drain(body, maxBytes, config.requestTimeoutMs());
    }

    /** The body of an error response, at most {@code maxBytes}, waiting at most {@code timeoutMs}. */
    static String drain(XStreamBody body, int maxBytes, long timeoutMs) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        while (text.length() < maxBytes) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            Object e = body.poll(left);
            if (!(e instanceof byte[] chunk)) {
                break;
            }
            text.append(new String(chunk, java.nio.charset.StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
