package io.tidings.source.x.reader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.ReconnectingFetchLoop;
import io.tidings.source.common.SourceClock;
import io.tidings.source.x.source.XStreamSourceConfig;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every X streaming endpoint needs (the filtered stream, each partition of the compliance
 * stream): connect, read NDJSON lines with the stall timeout, and reconnect with X's documented
 * back-off (docs.x.com, fundamentals/handling-disconnections). Blank lines are keep-alives; a JSON
 * object with {@code data} goes to {@link #onData}; an object with only {@code errors} is logged and
 * counted, and an operational disconnect (or ConnectionException) ends the connection; anything
 * else (invalid JSON, message types we do not know) is emitted as received, so that nothing is
 * lost: the normalizer dead-letters it. Running, stopping, the reconnect loop and the back-off
 * gauges are {@link ReconnectingFetchLoop}'s, shared with the other sources.
 */
@Internal
abstract class XStreamingLoop extends ReconnectingFetchLoop<XFetchedElement> {
    /** X's documented rule: an established connection that drops is replaced at once (see the loop's comment). */
    @Override
    protected boolean reconnectsAtOnceAfterData() {
        return true;
    }

    private static final Logger LOG = LoggerFactory.getLogger(XStreamingLoop.class);

    /** How one connection ended. */
    enum End { DROPPED_AFTER_DATA, NETWORK_ERROR, HTTP_ERROR, RATE_LIMITED }

    record ConnectionResult(End end, String reason, Long rateLimitReset) {}

    protected final XStreamSourceConfig config;
    protected final XApiClient client;
    protected final XReaderMetrics metrics;
    protected final ObjectMapper mapper = new ObjectMapper();
    /** The {@code source} of the records it emits for lines that are not data. */
    private final String source;

    XStreamingLoop(XStreamSourceConfig config, XApiClient client, FetchSink<XFetchedElement> sink,
            XReaderMetrics metrics, String streamName, String source, boolean ownsBackoffGauge) {
        super(streamName, config.clock(), sink, metrics, ownsBackoffGauge);
        this.config = config;
        this.client = client;
        this.metrics = metrics;
        this.source = source;
    }

    /** The path and query of the next connection (the first is 1). */
    protected abstract String request(long connection);

    /** The endpoint, for log lines. */
    protected abstract String path();

    /** What a non-200 answer means: how the connection ended, or an exception when retrying cannot help. */
    protected abstract ConnectionResult refused(XApiClient.StreamResponse response, String body);

    /** After connection {@code connection} (the first is 1) is established and before its lines are read. */
    protected void afterConnect(long connection) throws InterruptedException {}

    /** A line with a {@code data} object, as received. */
    protected abstract void onData(JsonNode root, JsonNode data, byte[] line, long receivedAt, long connection,
            long lineNo) throws InterruptedException;

    /** Where a line came from, e.g. {@code connection 2 line 7}: the position of records that are not data. */
    protected String where(long connection, long lineNo) {
        return "connection " + connection + " line " + lineNo;
    }

    /**
     * One connection, then X's back-off: none after a connection that delivered data (the loop's
     * rule), else network, HTTP or rate-limit steps ({@link XBackoffPolicies}).
     */
    @Override
    protected Disconnect connectAndRead(long connection) throws InterruptedException {
        ConnectionResult result = connectOnce(connection);
        if (result.end() != End.DROPPED_AFTER_DATA && running()) {
            metrics.errors.incrementAndGet();
        }
        return switch (result.end()) {
            case DROPPED_AFTER_DATA, NETWORK_ERROR -> Disconnect.failed(result.reason(), XBackoffPolicies.NETWORK);
            case HTTP_ERROR -> Disconnect.failed(result.reason(), XBackoffPolicies.HTTP);
            case RATE_LIMITED -> rateLimited(result.reason(), result.rateLimitReset());
        };
    }

    /** After a 429: X's rate-limit step, and never before {@code x-rate-limit-reset} (epoch seconds, or null). */
    protected Disconnect rateLimited(String reason, Long rateLimitReset) {
        return new Disconnect(reason, XBackoffPolicies.RATE_LIMIT,
                XBackoffPolicies.untilReset(rateLimitReset, clock.nowMillis()), 429);
    }

    ConnectionResult connectOnce(long connection) throws InterruptedException {
        LOG.info("{} connecting to {}{} (connection {})", name, client.apiBase(), path(), connection);
        XApiClient.StreamResponse resp;
        try {
            resp = client.openStream(request(connection));
        } catch (IOException e) {
            return new ConnectionResult(End.NETWORK_ERROR, "network error connecting: " + e, null);
        }
        XStreamBody body = resp.body();
        holdConnection(body::cancel);
        try {
            if (!running()) {
                return new ConnectionResult(End.NETWORK_ERROR, "stopped", null);
            }
            if (resp.status() != 200) {
                return refused(resp, drain(body, 64 * 1024, config.requestTimeoutMs()));
            }
            LOG.info("{} connected (connection {}, x-rate-limit-remaining {})", name, connection,
                    resp.headers().firstValue("x-rate-limit-remaining").orElse("?"));
            afterConnect(connection);
            return readLines(body, connection);
        } finally {
            body.cancel();
            holdConnection(null);
        }
    }

    private ConnectionResult readLines(XStreamBody body, long connection) throws InterruptedException {
        XLineSplitter splitter = new XLineSplitter();
        boolean delivered = false;
        long lineNo = 0;
        while (running()) {
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
            if (!delivered) {
                delivered = true;
                delivered(); // X: reconnect at once after an established connection drops
            }
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

    private static ConnectionResult ended(boolean delivered, String reason) {
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
            LOG.warn("{} {} is not a JSON object ({} bytes): emitted for the dead letters", name,
                    where(connection, lineNo), line.length);
            emit(XFetchedElement.record(
                    new RawRecord(source, where(connection, lineNo) + " (not JSON)", line, receivedAt), null));
            return null;
        }
        JsonNode data = root.path("data");
        if (data.isObject()) {
            onData(root, data, line, receivedAt, connection, lineNo);
            return null;
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            metrics.errors.incrementAndGet();
            String text = XRuleSync.describeErrors(errors);
            LOG.warn("{} error message on connection {}: {}", name, connection, text);
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
        LOG.warn("{} {} is an unknown message type: emitted for the dead letters", name, where(connection, lineNo));
        emit(XFetchedElement.record(new RawRecord(source, where(connection, lineNo), line, receivedAt), null));
        return null;
    }

    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
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
            text.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
