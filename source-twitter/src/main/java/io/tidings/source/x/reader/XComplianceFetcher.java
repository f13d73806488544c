package io.tidings.source.x.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.records.RawRecord;
import io.tidings.source.x.source.XStreamSourceConfig;
import java.util.Iterator;
import io.tidings.source.common.FetchSink;
import org.apache.flink.annotation.Internal;

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
 * <p>Reconnects follow the filtered stream's back-off ({@link XBackoffPolicies}); X documents the same rules
 * for all its streams. Every reconnect, and the first connect of a restored reader, asks for {@code
 * backfill_minutes=5} (X's maximum), so a short outage or a restart loses no event; backfilled events
 * may repeat, which is harmless (a post deleted twice is still deleted). The compliance position is
 * not checkpointed: a gap longer than five minutes loses the compliance events in it.
 *
 * <p>X serves the compliance streams to Enterprise access only and answers other levels with 403.
 * A 4xx other than 429 (no access, a bad token, a bad parameter) fails the source with a readable
 * message ({@link XSourceException}: the job is not restarted) rather than retrying for ever: the job
 * was asked for something this app cannot have.
 */
@Internal
public final class XComplianceFetcher extends XStreamingLoop {
    public static final String PATH = "/2/tweets/compliance/stream";
    public static final String SOURCE = "x-compliance";
    /** X splits post compliance events over partitions 1 to 4; all four are needed to see every event. */
    public static final int PARTITIONS = 4;
    /** The most X will replay to a reconnecting client. */
    public static final int BACKFILL_MINUTES = 5;

    private final int partition;
    private final boolean backfillFirstConnection;

    /**
     * @param backfillFirstConnection whether the first connection asks for backfill too (the reader
     *     was restored, so events may have come while it was down)
     */
    public XComplianceFetcher(XStreamSourceConfig config, XApiClient client, int partition,
            boolean backfillFirstConnection, FetchSink<XFetchedElement> sink, XReaderMetrics metrics) {
        super(config, client, sink, metrics, "X compliance stream partition " + checkPartition(partition), SOURCE,
                false);
        this.partition = partition;
        this.backfillFirstConnection = backfillFirstConnection;
    }

    private static int checkPartition(int partition) {
        if (partition < 1 || partition > PARTITIONS) {
            throw new IllegalArgumentException("compliance partition must be 1 to " + PARTITIONS + ", got " + partition);
        }
        return partition;
    }

    public int partition() {
        return partition;
    }

    /** The request of the next connection: the partition, and backfill on every connection but a fresh first one. */
    @Override
    protected String request(long connection) {
        boolean backfill = connection > 1 || backfillFirstConnection;
        return path() + (backfill ? "&backfill_minutes=" + BACKFILL_MINUTES : "");
    }

    @Override
    protected String path() {
        return PATH + "?partition=" + partition;
    }

    @Override
    protected ConnectionResult refused(XApiClient.StreamResponse resp, String text) {
        String reason = "HTTP " + resp.status() + " " + XApiException.abbreviate(text);
        if (resp.status() == 429) {
            return new ConnectionResult(End.RATE_LIMITED, reason, resp.longHeader("x-rate-limit-reset"));
        }
        if (resp.status() == 401) {
            throw XSourceException.tokenRefused(resp.status(), "GET " + path(), text, config.bearerToken());
        }
        if (resp.status() >= 400 && resp.status() < 500) {
            throw new XSourceException("X refused the compliance stream (partition " + partition + "): " + reason
                    + (resp.status() == 403
                            ? " (X offers the compliance streams to Enterprise access only; without it, run"
                                    + " without the compliance stream. Is the bearer token right? "
                                    + config.bearerToken().describe() + ")"
                            : ""));
        }
        return new ConnectionResult(End.HTTP_ERROR, reason, null);
    }

    @Override
    protected String where(long connection, long lineNo) {
        return "partition " + partition + " " + super.where(connection, lineNo);
    }

    @Override
    protected void onData(JsonNode root, JsonNode data, byte[] line, long receivedAt, long connection, long lineNo)
            throws InterruptedException {
        metrics.complianceEvents.incrementAndGet();
        emit(XFetchedElement.record(new RawRecord(SOURCE, position(data, connection, lineNo), line, receivedAt), null));
    }

    /** {@code partition 2 delete tweet 123}: where an event came from and what it is about, for dead letters and logs. */
    private String position(JsonNode data, long connection, long lineNo) {
        Iterator<String> names = data.fieldNames();
        if (!names.hasNext()) {
            return where(connection, lineNo);
        }
        String event = names.next();
        String id = data.path(event).path("tweet").path("id").asText(null);
        return "partition " + partition + " " + event + (id == null ? " (" + where(connection, lineNo) + ")" : " tweet " + id);
    }
}
