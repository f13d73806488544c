package io.tidings.source.x.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchLoop;
import io.tidings.source.common.SourceClock;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.reader.XStreamFetcher.ConnectionResult;
import io.tidings.source.x.reader.XStreamFetcher.End;
import java.io.IOException;
import java.util.Iterator;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one partition of X's post compliance stream ({@code GET /2/tweets/compliance/stream?partition=N},
 * docs.x.com compliance/streams): X splits the events over four partitions, so the reader runs one
 * of these per partition, each on its own thread and connection. Every event line ({@code data}
 * with one of {@code delete}, {@code tweet_edit}, {@code withheld}, {@code drop}, {@code undrop})
 * is emitted as received with source {@value #SOURCE}; the normalizer turns deletes into tombstones
 * and says why it leaves the others alone. Lines that are not events are handled as on the filtered
 * stream: blank lines are keep-alives, {@code errors} are logged (an operational disconnect ends the
 * connection), anything else is emitted for the dead letters.
 *
 * <p>Reconnects follow the filtered stream's back-off ({@link XBackoff}); X documents the same rules
 * for all its streams. Every reconnect, and the first connect of a restored reader, asks for {@code
 * backfill_minutes=5} (X's maximum), so a short outage or a restart loses no event; backfilled events
 * may repeat, which is harmless (a post deleted twice is still deleted). The compliance position is
 * not checkpointed: a gap longer than five minutes loses the compliance events in it.
 *
 * <p>X serves the compliance streams to Enterprise access only and answers other levels with 403.
 * A 4xx other than 429 (no access, a bad token, a bad parameter) fails the source with a readable
 * message rather than retrying for ever: the job was asked for something this app cannot have.
 */
@Internal
public final class XComplianceFetcher implements FetchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(XComplianceFetcher.class);

    public static final String PATH = "/2/tweets/compliance/stream";
    public static final String SOURCE = "x-compliance";
    /** X splits post compliance events over partitions 1 to 4; all four are needed to see every event. */
    public static final int PARTITIONS = 4;
    /** The most X will replay to a reconnecting client. */
    public static final int BACKFILL_MINUTES = 5;

    private final XStreamSourceConfig config;
    private final XApiClient client;
    private final int partition;
    private final SourceClock clock;
    private final XFetchSink sink;
    private final XReaderMetrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final XBackoff backoff = new XBackoff();
    private final boolean backfillFirstConnection;

    private volatile boolean running = true;
    private volatile XStreamBody currentBody;
    private volatile Throwable failure;
    private long connections;

    /**
     * @param backfillFirstConnection whether the first connection asks for backfill too (the reader
     *     was restored, so events may have come while it was down)
     */
    public XComplianceFetcher(XStreamSourceConfig config, XApiClient client, int partition,
            boolean backfillFirstConnection, XFetchSink sink, XReaderMetrics metrics) {
        if (partition < 1 || partition > PARTITIONS) {
            throw new IllegalArgumentException("compliance partition must be 1 to " + PARTITIONS + ", got " + partition);
        }
        this.config = config;
        this.client = client;
        this.partition = partition;
        this.clock = config.clock();
        this.sink = sink;
        this.metrics = metrics;
        this.backfillFirstConnection = backfillFirstConnection;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (running) {
                LOG.error("X compliance stream partition {} failed: {}", partition, t.getMessage());
                failure = t;
            }
        } finally {
            LOG.info("X compliance fetcher for partition {} stopped", partition);
        }
    }

    /** The error that ended the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    public int partition() {
        return partition;
    }

    /** Stops the loop and drops the connection; the caller interrupts the thread. */
    public void stop() {
        running = false;
        XStreamBody body = currentBody;
        if (body != null) {
            body.cancel();
        }
    }

    private void loop() throws InterruptedException {
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
            LOG.info("X compliance stream partition {} disconnected: {}", partition, result.reason());
            if (result.end() != End.DROPPED_AFTER_DATA) {
                metrics.errors.incrementAndGet();
            }
            if (wait > 0) {
                if (backoff.atMaximum()) {
                    LOG.error("X compliance back-off reached its maximum ({} ms) after: {}", wait, result.reason());
                }
                LOG.info("X compliance partition {} backing off {} ms ({})", partition, wait, result.reason());
                clock.sleep(wait);
            }
            metrics.reconnects.incrementAndGet();
        }
    }

    /** The request of the next connection: the partition, and backfill on every connection but a fresh first one. */
    String pathAndQuery(long connection) {
        boolean backfill = connection > 1 || backfillFirstConnection;
        return PATH + "?partition=" + partition + (backfill ? "&backfill_minutes=" + BACKFILL_MINUTES : "");
    }

    ConnectionResult connectOnce() throws InterruptedException {
        long connection = ++connections;
        String request = pathAndQuery(connection);
        LOG.info("X compliance stream connecting to {}{} (connection {})", client.apiBase(), request, connection);
        XApiClient.StreamResponse resp;
        try {
            resp = client.openStream(request);
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
                String text = XStreamFetcher.drain(body, 64 * 1024, config.requestTimeoutMs());
                String reason = "HTTP " + resp.status() + " " + XApiException.abbreviate(text);
                if (resp.status() == 429) {
                    return new ConnectionResult(End.RATE_LIMITED, reason, resp.longHeader("x-rate-limit-reset"));
                }
                if (resp.status() >= 400 && resp.status() < 500) {
                    throw new XSourceException("X refused the compliance stream (partition " + partition + "): " + reason
                            + (resp.status() == 401 || resp.status() == 403
                                    ? " (X offers the compliance streams to Enterprise access only; without it, run"
                                            + " without the compliance stream. Is the bearer token right? "
                                            + config.bearerToken().describe() + ")"
                                    : ""));
                }
                return new ConnectionResult(End.HTTP_ERROR, reason, null);
            }
            LOG.info("X compliance stream partition {} connected (connection {})", partition, connection);
            return readLines(body, connection);
        } finally {
            body.cancel();
            currentBody = null;
        }
    }

    private ConnectionResult readLines(XStreamBody body, long connection) throws InterruptedException {
        XLineSplitter splitter = new XLineSplitter();
        boolean delivered = false;
        long lineNo = 0;
        while (running) {
            Object event = body.poll(config.stallTimeoutMs());
            if (event == null) {
                return XStreamFetcher.ended(delivered,
                        "stall: nothing, not even a keep-alive, for " + config.stallTimeoutMs() + " ms");
            }
            if (event == XStreamBody.END || event instanceof Throwable) {
                splitter.discard();
                return XStreamFetcher.ended(delivered,
                        event == XStreamBody.END ? "the server closed the stream" : "connection failed: " + event);
            }
            delivered = true;
            for (byte[] line : splitter.feed((byte[]) event)) {
                lineNo++;
                String disconnect = handleLine(line, connection, lineNo);
                if (disconnect != null) {
                    return XStreamFetcher.ended(true, disconnect);
                }
            }
        }
        return new ConnectionResult(End.DROPPED_AFTER_DATA, "stopped", null);
    }

    /** Handles one complete line; returns a reason when the line asks us to disconnect. */
    String handleLine(byte[] line, long connection, long lineNo) throws InterruptedException {
        if (XStreamFetcher.isBlank(line)) {
            return null;
        }
        long receivedAt = clock.nowMillis();
        String where = "partition " + partition + " connection " + connection + " line " + lineNo;
        JsonNode root = null;
        try {
            root = mapper.readTree(line);
        } catch (IOException e) {
            // emitted below as is
        }
        if (root == null || !root.isObject()) {
            metrics.invalidLines.incrementAndGet();
            LOG.warn("X compliance {} is not a JSON object ({} bytes): emitted for the dead letters", where, line.length);
            sink.accept(XFetchedElement.record(new RawRecord(SOURCE, where + " (not JSON)", line, receivedAt), null));
            return null;
        }
        JsonNode data = root.path("data");
        if (data.isObject()) {
            metrics.complianceEvents.incrementAndGet();
            sink.accept(XFetchedElement.record(new RawRecord(SOURCE, position(data, where), line, receivedAt), null));
            return null;
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            metrics.errors.incrementAndGet();
            String text = XRuleSync.describeErrors(errors);
            LOG.warn("X compliance stream error message on {}: {}", where, text);
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
        LOG.warn("X compliance {} is an unknown message type: emitted for the dead letters", where);
        sink.accept(XFetchedElement.record(new RawRecord(SOURCE, where, line, receivedAt), null));
        return null;
    }

    /** {@code partition 2 delete tweet 123}: where an event came from and what it is about, for dead letters and logs. */
    private String position(JsonNode data, String where) {
        Iterator<String> names = data.fieldNames();
        if (!names.hasNext()) {
            return where;
        }
        String event = names.next();
        String id = data.path(event).path("tweet").path("id").asText(null);
        return "partition " + partition + " " + event + (id == null ? " (" + where + ")" : " tweet " + id);
    }
}
