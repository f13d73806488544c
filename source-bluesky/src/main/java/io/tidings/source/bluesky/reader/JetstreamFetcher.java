package io.tidings.source.bluesky.reader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.common.Backoff;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.ReconnectingFetchLoop;
import io.tidings.source.common.SourceClock;
import io.tidings.source.common.WebSocketConnection;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamEventId;
import io.tidings.source.bluesky.split.JetstreamRecentEvents;
import io.tidings.source.bluesky.split.JetstreamSplit;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop on the reader's own thread: subscribe to an endpoint, read events, and after any
 * failure (handshake refused, connection dropped or closed, nothing heard within the stall timeout: no
 * event, and no pong to the pings sent while the stream is quiet) back off and fail over to the next
 * endpoint. Everything goes to a {@link FetchSink}; back-off waits go through the {@link
 * SourceClock}. Running, stopping, reconnecting and the back-off gauge are {@link
 * ReconnectingFetchLoop}'s, shared with the other sources.
 *
 * <p>The cursor it subscribes with: the last {@code time_us} processed minus the replay window; before
 * the first event, when the subscription started (so a drop before the first event, or a restore of a
 * checkpoint taken before it, loses nothing); none (live) only on the first connection of a fresh
 * subscription.
 *
 * <p>Each event is handed over in arrival order: the events to emit (posts that pass the filters,
 * deletes of posts; see {@link JetstreamEventFilter}) are recognised by identity ({@link
 * JetstreamRecentEvents}), not by time, so a replayed event is dropped whatever {@code time_us} it comes
 * with, and an event never emitted is kept even when another instance stamped it at or before the
 * cursor. Every event moves the cursor forward, emitted or not. A message that is not a JSON object
 * with a numeric {@code time_us} is emitted as it is, so nothing is lost: the normalizer dead-letters
 * it.
 */
@Internal
public final class JetstreamFetcher extends ReconnectingFetchLoop<JetstreamFetchedElement> {
    private static final Logger LOG = LoggerFactory.getLogger(JetstreamFetcher.class);

    public static final String SOURCE_PREFIX = "bluesky-jetstream:";

    private final JetstreamSourceConfig config;
    private final JetstreamReaderMetrics metrics;
    private final JetstreamEventFilter filter;
    /** Every failure backs off alike: {@code backoff(initial, max)}, doubling. */
    private final Backoff.Policy failure;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<URI> endpoints;

    /** When the subscription started, unix microseconds: the cursor before the first event. */
    private final long subscribedAtUs;
    /** Whether the subscription starts with this fetcher: then its first connection subscribes live. */
    private final boolean freshSubscription;
    /** The events handed to the sink lately, by identity: what a replay may bring again. */
    private final JetstreamRecentEvents recentEvents;
    /** time_us of the newest event processed (handed to the sink), or {@link JetstreamSplit#NO_CURSOR}. */
    private volatile long lastTimeUs;
    private int endpointIndex;
    /** How many connections were opened so far. */
    private long connections;

    /**
     * @param split where to go on from: the cursor, the events emitted lately, and when the subscription
     *     started (the reader stamps a fresh split before it fetches)
     * @param freshSubscription whether the subscription starts now (the split was fresh), rather than
     *     going on after a restore
     */
    public JetstreamFetcher(JetstreamSourceConfig config, JetstreamSplit split, boolean freshSubscription,
            FetchSink<JetstreamFetchedElement> sink, JetstreamReaderMetrics metrics) {
        super("Jetstream", config.clock(), sink, metrics, true);
        if (!split.hasStarted()) {
            throw new IllegalArgumentException("the split's subscription has no start time: " + split);
        }
        this.config = config;
        this.metrics = metrics;
        this.filter = new JetstreamEventFilter(config);
        this.failure = Backoff.Policy.exponential("failure", config.initialBackoffMs(), config.maxBackoffMs());
        this.endpoints = config.endpoints();
        this.lastTimeUs = split.lastTimeUs();
        this.subscribedAtUs = split.subscribedAtUs();
        this.freshSubscription = freshSubscription;
        this.recentEvents = new JetstreamRecentEvents(JetstreamRecentEvents.keepMicrosFor(config.replayMicros()),
                split.recentEvents());
    }

    @Override
    protected String stoppedAt() {
        return " (last time_us " + lastTimeUs + ")";
    }

    /** time_us of the newest event processed so far. */
    public long lastTimeUs() {
        return lastTimeUs;
    }

    /** The subscribe URL: posts only, the wanted DIDs, and the cursor when there is one. */
    public static URI subscribeUri(URI endpoint, Iterable<String> authors, long cursor) {
        StringBuilder query = new StringBuilder("wantedCollections=").append(JetstreamEventFilter.POST_COLLECTION);
        for (String did : authors) {
            query.append("&wantedDids=").append(URLEncoder.encode(did, StandardCharsets.UTF_8));
        }
        if (cursor >= 0) {
            query.append("&cursor=").append(cursor);
        }
        return URI.create(endpoint.toString() + "?" + query);
    }

    /**
     * The cursor of the next connection: last − replay; before the first event, when the subscription
     * started; none (live) for the first connection of a fresh subscription, which nothing came before.
     */
    long cursorToRequest() {
        long last = lastTimeUs;
        if (last >= 0) {
            return Math.max(0, last - config.replayMicros());
        }
        return freshSubscription && connections == 0 ? JetstreamSplit.NO_CURSOR : subscribedAtUs;
    }

    /** Where {@code cursor} comes from, for the log. */
    private String describe(long cursor) {
        if (cursor < 0) {
            return "live, no cursor";
        }
        if (lastTimeUs < 0) {
            return "cursor " + cursor + " = when the subscription started, before any event";
        }
        return "cursor " + cursor + " = last time_us " + lastTimeUs + " - " + config.replayMicros() + " us";
    }

    /** One connection to the current endpoint; then back off and fail over to the next. */
    @Override
    protected Disconnect connectAndRead(long connection) throws InterruptedException {
        URI endpoint = endpoints.get(endpointIndex);
        long cursor = cursorToRequest();
        URI uri = subscribeUri(endpoint, config.authors(), cursor);
        connections = connection;
        LOG.info("Jetstream connecting to {} (connection {}, {})", endpoint, connection, describe(cursor));
        String reason;
        try {
            reason = overWebSocket(uri, Duration.ofMillis(config.connectTimeoutMs()), Map.of(), open -> {
                LOG.info("Jetstream connected to {} (connection {})", endpoint, connection);
                return read(open, endpoint);
            });
            if (reason == null) {
                return Disconnect.stopped();
            }
        } catch (IOException e) {
            metrics.errors.incrementAndGet();
            reason = "could not connect: " + e.getMessage();
        }
        endpointIndex = (endpointIndex + 1) % endpoints.size();
        if (endpoints.size() > 1) {
            LOG.info("Jetstream fails over to {} next", endpoints.get(endpointIndex));
        }
        return Disconnect.failed(reason + " (" + endpoint + ")", failure);
    }

    /** Reads one connection until it ends; returns why it ended. */
    private String read(WebSocketConnection connection, URI endpoint) throws InterruptedException {
        String source = SOURCE_PREFIX + endpoint.getAuthority();
        WebSocketConnection.Ending ending = connection.readUntilEnd(config.stallTimeoutMs(), this::running,
                new WebSocketConnection.MessageHandler() {
                    @Override
                    public void text(String text, long messageNo) throws InterruptedException {
                        delivered();
                        handle(text, source, messageNo);
                    }

                    @Override
                    public boolean invalidText(byte[] bytes, int badByte, long messageNo) throws InterruptedException {
                        return handleInvalidUtf8(bytes, badByte, source, messageNo);
                    }

                    @Override
                    public void binary(int bytes) {
                        metrics.errors.incrementAndGet();
                        LOG.warn("Jetstream sent a binary message of {} bytes (compression is not requested); ignored",
                                bytes);
                    }
                });
        if (ending.failure()) {
            metrics.errors.incrementAndGet();
        }
        return ending.reason();
    }

    void handle(String text, String source, long messageNo) throws InterruptedException {
        metrics.received.incrementAndGet();
        long receivedAt = clock.nowMillis();
        JsonNode event = parse(text);
        JsonNode time = event == null ? null : event.get("time_us");
        if (time == null || !time.canConvertToLong() || !time.isIntegralNumber()) {
            metrics.errors.incrementAndGet();
            LOG.warn("Jetstream message {} of connection {} is not an event with a time_us; emitted for the dead "
                    + "letters", messageNo, connections);
            RawRecord record = new RawRecord(source, "connection " + connections + " message " + messageNo,
                    text.getBytes(StandardCharsets.UTF_8), receivedAt);
            emit(JetstreamFetchedElement.unreadable(record));
            return;
        }
        long timeUs = time.asLong();
        metrics.sawTimeUs(timeUs);
        String[] rules = filter.decide(event);
        if (rules == null) {
            metrics.filtered.incrementAndGet();
            if (timeUs > lastTimeUs) {
                moveCursor(timeUs);
                emit(JetstreamFetchedElement.skipped(timeUs));
            }
            return;
        }
        JetstreamEventId id = eventId(event);
        if (recentEvents.contains(id)) {
            metrics.duplicates.incrementAndGet();
            return;
        }
        recentEvents.add(id, timeUs);
        moveCursor(timeUs);
        RawRecord record = new RawRecord(source, "time_us " + timeUs, text.getBytes(StandardCharsets.UTF_8),
                receivedAt);
        record.matchedRules = rules;
        metrics.matched.incrementAndGet();
        emit(JetstreamFetchedElement.event(record, id, timeUs));
    }

    /**
     * A text message that is not UTF-8: emitted as it came, so that it becomes a dead letter with the
     * normalizer's reason ("invalid UTF-8 at byte N"), and the connection fails (close 1007; returns
     * false). The reconnect replays from the cursor, so the same frame comes again: it is recognised
     * by an identity of its own (the event's, read from the bytes with each bad byte taken as U+FFFD,
     * marked as the invalid copy; or, when that reads as no event, a hash of the bytes), kept with the
     * split's recent events, and that copy is dropped and read past (returns true) instead of being
     * dead-lettered again and failing every connection at the same frame. The cursor moves to the
     * frame's {@code time_us} when it has one. A valid copy of the same event (another instance) is
     * still emitted: its identity is the event's own.
     */
    boolean handleInvalidUtf8(byte[] bytes, int badByte, String source, long messageNo) throws InterruptedException {
        metrics.received.incrementAndGet();
        JsonNode event = parse(new String(bytes, StandardCharsets.UTF_8));
        JsonNode time = event == null ? null : event.get("time_us");
        long timeUs = time != null && time.isIntegralNumber() && time.canConvertToLong() ? time.asLong() : -1;
        JetstreamEventId read = event == null ? null : eventId(event);
        JetstreamEventId id = read != null && !read.did().isEmpty()
                ? new JetstreamEventId(read.did(), read.collection(), read.rkey(), read.rev() + " (invalid UTF-8)")
                : new JetstreamEventId("(invalid UTF-8)", "", sha256(bytes), "");
        if (recentEvents.contains(id)) {
            metrics.duplicates.incrementAndGet();
            LOG.info("Jetstream message {} of connection {} is the invalid UTF-8 frame dead-lettered before (a replay):"
                    + " dropped, reading on", messageNo, connections);
            return true;
        }
        metrics.errors.incrementAndGet();
        LOG.warn("Jetstream message {} of connection {} is not UTF-8 (byte {}); emitted for the dead letters, then the"
                + " connection is failed (1007) and opened again", messageNo, connections, badByte);
        long at = timeUs >= 0 ? timeUs : lastTimeUs >= 0 ? lastTimeUs : subscribedAtUs;
        recentEvents.add(id, at);
        if (timeUs >= 0) {
            moveCursor(timeUs);
        }
        RawRecord record = new RawRecord(source, "connection " + connections + " message " + messageNo, bytes,
                clock.nowMillis());
        emit(JetstreamFetchedElement.event(record, id, at));
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The cursor only moves forward: after a fail-over, another instance's stamps may run behind. */
    private void moveCursor(long timeUs) {
        if (timeUs > lastTimeUs) {
            lastTimeUs = timeUs;
            recentEvents.forgetBefore(timeUs);
        }
    }

    /** did, and the commit's collection, rkey and rev: the same whichever instance sends the event. */
    static JetstreamEventId eventId(JsonNode event) {
        JsonNode commit = event.path("commit");
        return new JetstreamEventId(event.path("did").asText(null), commit.path("collection").asText(null),
                commit.path("rkey").asText(null), commit.path("rev").asText(null));
    }

    private JsonNode parse(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
