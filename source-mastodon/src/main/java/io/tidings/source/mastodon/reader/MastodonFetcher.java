package io.tidings.source.mastodon.reader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.RawRecord;
import io.tidings.source.common.Backoff;
import io.tidings.source.common.ReconnectingFetchLoop;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.SecretToken;
import io.tidings.source.common.SourceClock;
import io.tidings.source.common.WebSocketConnection;
import io.tidings.source.mastodon.source.MastodonSourceConfig;
import io.tidings.source.mastodon.source.MastodonTimeline;
import io.tidings.source.mastodon.split.EditTimes;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.RecentStatuses;
import io.tidings.source.mastodon.split.StatusIds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop on the reader's own thread: open the streaming connection, fill the gap since the
 * last status through the timeline endpoint, then read the stream; after any failure (handshake
 * refused, a 5xx or 429 from the timeline, the connection dropped or closed, a stall) back off and
 * start again. Everything goes to the {@link FetchSink}; waits go through the {@link SourceClock}.
 * Running, stopping, reconnecting and the back-off gauges are {@link ReconnectingFetchLoop}'s, shared
 * with the other sources; this class holds one connection's work.
 *
 * <p>Why the stream is opened before the gap is filled: what the server streams while the gap fill
 * pages through the timeline waits in the connection (read ahead, then back-pressured), so nothing
 * posted between the last page and the first streamed event is lost. What both bring is emitted once:
 * the fetcher remembers what it emitted lately ({@link #RECENT_EVENTS}, by status id, by status id
 * and {@code edited_at} for edits, by id for deletions).
 *
 * <p>Gap fill asks for the statuses after the newest one emitted ({@code min_id}); before the first,
 * after the moment the subscription started. Timelines show statuses as they are now, so deletions
 * and edits made while the source was away (or streamed after the checkpoint a restore goes back
 * to) come back another way: after each gap fill the fetcher <em>rechecks</em> the statuses it
 * emitted lately ({@link RecentStatuses}, kept in the split) through {@link MastodonStatusLookup}; one
 * that is gone becomes a tombstone (a {@code delete} event made up here, position {@code recheck:
 * status <id> gone}), one edited since becomes a {@code status.update} event. A recheck that fails
 * (429, 5xx, garbage) is retried like a failed gap fill, with the statuses not yet rechecked kept;
 * after {@value #MAX_RECHECK_FAILURES} failures in a row they are given up (logged), so that a server
 * whose lookups always fail cannot keep the stream from being read. The first connection of a fresh subscription has no gap
 * to fill. A stream event that is not JSON, not an event, or an {@code update} whose payload is not a
 * status with an id, is emitted as received, so that the normalizer dead-letters it with its reason.
 */
@Internal
public final class MastodonFetcher extends ReconnectingFetchLoop<MastodonFetchedElement> {
    private static final Logger LOG = LoggerFactory.getLogger(MastodonFetcher.class);

    public static final String SOURCE_PREFIX = "mastodon:";
    /** How many emitted statuses and events are remembered to drop what the stream and gap fill both bring. */
    static final int RECENT_EVENTS = 10_000;
    /** Failed recheck attempts in a row after which the statuses still to recheck are given up. */
    static final int MAX_RECHECK_FAILURES = 3;
    /**
     * At most this many statuses (the newest) are rechecked per pass when the server lacks the batch
     * form: each costs a request, and Mastodon allows 300 per 5 minutes.
     */
    static final int MAX_SINGLE_RECHECKS = 100;

    private final MastodonSourceConfig config;
    private final MastodonReaderMetrics metrics;
    /** Every failure backs off alike: {@code backoff(initial, max)}, doubling; a 429 waits for its reset when that is later. */
    private final Backoff.Policy failure;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http;
    private final MastodonTimelineClient timelines;
    private final MastodonStatusLookup lookup;
    /** The statuses emitted lately (as the split state keeps them): what a recheck asks about. */
    private final RecentStatuses window;
    /** Statuses to recheck (id → edited_at emitted), kept until rechecked or given up. */
    private final Map<String, String> pendingRecheck = new LinkedHashMap<>();
    private int recheckFailures;
    private final URI streamUri;
    private final String source;
    private final String[] matchedRules;
    /** When the subscription started, as a status id: where gap fill goes on from before the first status. */
    private final String startedAtId;
    private final boolean freshSubscription;
    private final Map<String, Boolean> recent = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_EVENTS;
        }
    };
    /** The newest status id emitted, or "". */
    private volatile String lastStatusId;
    /** The number of the connection open now (the first is 1). */
    private long connections;
    /** The access token (null for none) and the streaming handshake's headers: resolved once, when the loop starts. */
    private String token;
    private Map<String, String> headers;
    /** What the connection open now is doing before it reads the stream, for the reason of a failure. */
    private String phase;

    /**
     * @param split where to go on from; the reader stamps a fresh split's start before it fetches
     * @param freshSubscription whether the subscription starts now (then the first connection has no gap to fill)
     */
    public MastodonFetcher(MastodonSourceConfig config, MastodonSplit split, boolean freshSubscription,
            FetchSink<MastodonFetchedElement> sink, MastodonReaderMetrics metrics) {
        super("Mastodon", config.clock(), sink, metrics, true);
        if (!split.hasStarted()) {
            throw new IllegalArgumentException("the split's subscription has no start: " + split);
        }
        this.config = config;
        this.metrics = metrics;
        this.failure = Backoff.Policy.exponential("failure", config.initialBackoffMs(), config.maxBackoffMs());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.connectTimeoutMs())).build();
        this.timelines = new MastodonTimelineClient(http, config);
        this.lookup = new MastodonStatusLookup(http, config);
        this.window = new RecentStatuses(split.recentStatuses());
        this.streamUri = URI.create(config.streamingUrl() + "?" + config.timeline().streamQuery());
        this.source = SOURCE_PREFIX + config.serverName();
        MastodonTimeline timeline = config.timeline();
        this.matchedRules = timeline.kind() == MastodonTimeline.Kind.PUBLIC ? new String[0]
                : new String[] {timeline.kind() == MastodonTimeline.Kind.HASHTAG ? "#" + timeline.name()
                        : "list:" + timeline.name()};
        this.lastStatusId = split.lastStatusId();
        this.startedAtId = split.startedAtId();
        this.freshSubscription = freshSubscription;
    }

    @Override
    protected String stoppedAt() {
        return " (last status " + (lastStatusId.isEmpty() ? "none" : lastStatusId) + ")";
    }

    /** The newest status id emitted so far, or "". */
    public String lastStatusId() {
        return lastStatusId;
    }

    @Override
    protected void fetch() throws Exception {
        token = resolveToken();
        headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        reconnectLoop();
    }

    /** One connection: open the stream, fill the gap and recheck, read the stream; then the wait before the next. */
    @Override
    protected Disconnect connectAndRead(long connection) throws InterruptedException {
        connections = connection;
        boolean fillGap = !(freshSubscription && connections == 1);
        LOG.info("Mastodon connecting to {} for {} (connection {}, {})", config.streamingUrl(), config.timeline(),
                connections, fillGap ? "then gap fill after status " + gapFillFrom() : "live");
        String reason;
        long rateLimitWait = 0;
        int rateLimitStatus = 0;
        phase = "gap fill";
        try {
            reason = overWebSocket(streamUri, Duration.ofMillis(config.connectTimeoutMs()), headers, open -> {
                LOG.info("Mastodon connected to {} (connection {})", config.streamingUrl(), connections);
                if (fillGap) {
                    // What was emitted before this gap (or before the checkpoint restored) may have been
                    // deleted or edited meanwhile: recheck it after the gap fill (which brings only the
                    // statuses after the position, as they are now).
                    window.toMap().forEach(pendingRecheck::put);
                    fillGap(token);
                    phase = "recheck";
                    recheck(token);
                }
                return read(open);
            });
            if (reason == null) {
                return Disconnect.stopped();
            }
        } catch (WebSocketConnection.HandshakeRefusedException e) {
            metrics.errors.incrementAndGet();
            if (MastodonSourceException.notRetryable(e.status())) {
                throw MastodonSourceException.refused(e.status(), "the streaming connection",
                        config.timeline().toString(), tokenDescription(), null);
            }
            if (e.status() == 429) {
                metrics.rateLimited.incrementAndGet();
                rateLimitStatus = 429;
                rateLimitWait = MastodonRateLimit.untilReset(e.headers(), clock.nowMillis(),
                        config.maxRateLimitWaitMs()).orElse(config.maxBackoffMs());
            }
            reason = "handshake refused with HTTP " + e.status();
        } catch (MastodonApiException e) {
            metrics.errors.incrementAndGet();
            if (phase.equals("gap fill") && MastodonSourceException.notRetryable(e.status())) {
                throw MastodonSourceException.refused(e.status(), "the timeline " + config.timeline().timelinePath(),
                        config.timeline().toString(), tokenDescription(), e.serverSaid());
            }
            if (e.status() == 429) {
                metrics.rateLimited.incrementAndGet();
                rateLimitStatus = 429;
            }
            rateLimitWait = e.rateLimitWaitMs();
            reason = phase + " failed: " + e.getMessage()
                    + (e.serverSaid() == null || e.serverSaid().isEmpty() ? "" : " (" + e.serverSaid() + ")");
        } catch (IOException e) {
            metrics.errors.incrementAndGet();
            reason = "could not connect: " + e.getMessage();
        }
        // The back-off's step, or the rate limit's reset when that is later (the loop shows which).
        return new Disconnect(reason, failure, rateLimitWait, rateLimitStatus);
    }

    private String resolveToken() {
        SecretToken token = config.accessToken().orElse(null);
        if (token == null) {
            return null;
        }
        try {
            return token.resolve();
        } catch (IllegalStateException e) {
            throw new MastodonSourceException("no Mastodon access token: " + e.getMessage());
        }
    }

    private String tokenDescription() {
        return config.accessToken().map(SecretToken::describe).orElse(null);
    }

    private String gapFillFrom() {
        String last = lastStatusId;
        return last.isEmpty() ? startedAtId + " (when the subscription started)" : last;
    }

    /**
     * Emits the statuses the timeline shows after the newest one emitted, oldest first, page by page,
     * until a page comes back empty. When the rate limit says no requests are left, waits for its reset
     * before the next page (the stream meanwhile waits in the connection).
     */
    private void fillGap(String token) throws MastodonApiException, InterruptedException {
        String from = lastStatusId.isEmpty() ? startedAtId : lastStatusId;
        URI next = timelines.pageAfter(from);
        int pages = 0;
        int statuses = 0;
        while (running() && next != null) {
            MastodonTimelineClient.Page page = timelines.fetch(next, token);
            pages++;
            if (page.statuses().isEmpty()) {
                break;
            }
            List<JsonNode> oldestFirst = new ArrayList<>(page.statuses());
            String newest = "";
            for (JsonNode status : oldestFirst) {
                String id = statusId(status);
                if (id != null) {
                    newest = StatusIds.max(newest, id);
                }
            }
            // Entries without a usable id (they become dead letters) first, then statuses oldest first.
            oldestFirst.sort(Comparator.comparing(MastodonFetcher::statusId,
                    Comparator.nullsFirst(StatusIds.ORDER)));
            for (JsonNode status : oldestFirst) {
                statuses++;
                handleTimelineStatus(status);
            }
            if (newest.isEmpty() || StatusIds.compare(newest, from) <= 0) {
                break; // a page without a status after the last one: nothing newer to page to
            }
            from = newest;
            next = page.newer() != null && !page.newer().equals(next) ? page.newer() : timelines.pageAfter(newest);
            OptionalLong remaining = page.remaining();
            if (remaining.isPresent() && remaining.getAsLong() <= 0) {
                long wait = MastodonRateLimit.untilReset(page.headers(), clock.nowMillis(), config.maxRateLimitWaitMs())
                        .orElse(config.maxBackoffMs());
                metrics.rateLimited.incrementAndGet();
                LOG.info("Mastodon rate limit spent during gap fill: waiting {} ms for its reset", wait);
                metrics.waitingForRateLimit(clock.nowMillis() + wait, 0);
                try {
                    clock.sleep(wait);
                } finally {
                    metrics.rateLimitWaitOver();
                }
            }
        }
        LOG.info("Mastodon gap fill: {} statuses in {} pages, now at status {}", statuses, pages,
                lastStatusId.isEmpty() ? "none" : lastStatusId);
    }

    private void handleTimelineStatus(JsonNode status) throws InterruptedException {
        metrics.received.incrementAndGet();
        long receivedAt = clock.nowMillis();
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            bytes = status.toString().getBytes(StandardCharsets.UTF_8);
        }
        String id = statusId(status);
        if (id == null) {
            metrics.errors.incrementAndGet();
            LOG.warn("Mastodon timeline listed an entry without a status id; emitted for the dead letters");
            emit(MastodonFetchedElement.other(record("timeline entry without a status id", bytes, receivedAt)));
            return;
        }
        metrics.sawStatusId(id);
        if (!remember("status " + id)) {
            metrics.duplicates.incrementAndGet();
            return;
        }
        metrics.gapFilled.incrementAndGet();
        emitStatus(record("timeline status " + id, bytes, receivedAt), id, editedAt(status));
    }

    /** Reads one connection until it ends; returns why it ended. */
    private String read(WebSocketConnection connection) throws InterruptedException {
        WebSocketConnection.Ending ending = connection.readUntilEnd(config.stallTimeoutMs(), this::running,
                new WebSocketConnection.MessageHandler() {
                    @Override
                    public void text(String text, long messageNo) throws InterruptedException {
                        delivered();
                        handle(text, messageNo);
                    }

                    /**
                     * A text message that is not UTF-8: emitted as it came, so that it becomes a dead
                     * letter with the normalizer's reason ("invalid UTF-8 at byte N"); then the
                     * connection fails (close 1007). The next one fills the gap from the position,
                     * which the message did not move: a status it carried comes back from the timeline.
                     */
                    @Override
                    public boolean invalidText(byte[] bytes, int badByte, long messageNo) throws InterruptedException {
                        metrics.received.incrementAndGet();
                        metrics.errors.incrementAndGet();
                        LOG.warn("Mastodon message {} of connection {} is not UTF-8 (byte {}); emitted for the dead letters,"
                                + " then the connection is failed (1007) and opened again", messageNo, connections, badByte);
                        emitOther(record("connection " + connections + " message " + messageNo, bytes, clock.nowMillis()));
                        return false;
                    }

                    @Override
                    public void binary(int bytes) {
                        metrics.errors.incrementAndGet();
                        LOG.warn("Mastodon sent a binary message of {} bytes (the streaming API sends text); ignored",
                                bytes);
                    }
                });
        if (ending.failure()) {
            metrics.errors.incrementAndGet();
        }
        return ending.reason();
    }

    /** One streaming message: {@code {"stream":[…],"event":"…","payload":"…"}}. */
    void handle(String text, long messageNo) throws InterruptedException {
        metrics.received.incrementAndGet();
        long receivedAt = clock.nowMillis();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        JsonNode message = parse(text);
        JsonNode event = message == null ? null : message.get("event");
        if (event == null || !event.isTextual()) {
            unreadable(bytes, receivedAt, messageNo, "is not a streaming event (JSON with an event name)");
            return;
        }
        switch (event.asText()) {
            case "update":
            case "status.update": {
                JsonNode status = payloadObject(message.get("payload"));
                String id = status == null ? null : statusId(status);
                if (id == null) {
                    unreadable(bytes, receivedAt, messageNo, "is an " + event.asText() + " without a status with an id");
                    return;
                }
                metrics.sawStatusId(id);
                boolean edit = event.asText().equals("status.update");
                String editedAt = edit ? status.path("edited_at").asText("") : "";
                if (!remember(edit ? "edit " + id + " " + editedAt : "status " + id)) {
                    metrics.duplicates.incrementAndGet();
                    return;
                }
                if (edit) {
                    emitEdit(record("edit of status " + id + (editedAt.isEmpty() ? "" : " at " + editedAt), bytes,
                            receivedAt), id, editedAt);
                } else {
                    emitStatus(record("status " + id, bytes, receivedAt), id, editedAt(status));
                }
                return;
            }
            case "delete": {
                JsonNode payload = message.get("payload");
                String id = payload != null && payload.isValueNode() ? payload.asText() : null;
                if (id == null || !StatusIds.isStatusId(id)) {
                    unreadable(bytes, receivedAt, messageNo, "is a delete without a status id");
                    return;
                }
                if (!remember("delete " + id)) {
                    metrics.duplicates.incrementAndGet();
                    return;
                }
                emitDeletion(record("delete of status " + id, bytes, receivedAt), id);
                return;
            }
            default:
                // notification, conversation, announcement, filters_changed…: not posts (a user
                // stream's events; a timeline stream should not send them).
                metrics.ignored.incrementAndGet();
                LOG.debug("Mastodon event '{}' carries no post; not emitted", event.asText());
        }
    }

    private void unreadable(byte[] bytes, long receivedAt, long messageNo, String what) throws InterruptedException {
        metrics.errors.incrementAndGet();
        LOG.warn("Mastodon message {} of connection {} {}; emitted for the dead letters", messageNo, connections, what);
        emitOther(record("connection " + connections + " message " + messageNo, bytes, receivedAt));
    }

    private RawRecord record(String position, byte[] bytes, long receivedAt) {
        RawRecord record = new RawRecord(source, position, bytes, receivedAt);
        record.matchedRules = matchedRules.clone();
        return record;
    }

    private void emitStatus(RawRecord record, String id, String editedAt) throws InterruptedException {
        lastStatusId = StatusIds.max(lastStatusId, id);
        window.emitted(id, editedAt);
        metrics.emitted.incrementAndGet();
        emit(MastodonFetchedElement.status(record, id, editedAt));
    }

    private void emitEdit(RawRecord record, String id, String editedAt) throws InterruptedException {
        window.emitted(id, editedAt);
        metrics.emitted.incrementAndGet();
        emit(MastodonFetchedElement.edit(record, id, editedAt));
    }

    private void emitDeletion(RawRecord record, String id) throws InterruptedException {
        window.deleted(id);
        pendingRecheck.remove(id);
        metrics.emitted.incrementAndGet();
        emit(MastodonFetchedElement.deletion(record, id));
    }

    /**
     * Asks the server about the statuses to recheck, newest first (deletions and edits come mostly
     * soon after posting), {@value MastodonStatusLookup#BATCH} a request: a status gone becomes a
     * tombstone, one edited since it was emitted becomes its edit. 429s and other failures throw (the
     * loop waits, reconnects, fills the gap and comes back here for what is left); an exhausted rate
     * limit is waited for between requests, as gap fill does.
     */
    private void recheck(String token) throws MastodonApiException, InterruptedException {
        if (pendingRecheck.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(pendingRecheck.keySet());
        ids.sort(StatusIds.ORDER.reversed());
        int asked = 0;
        int changed = 0;
        for (int from = 0; running() && from < ids.size(); from += MastodonStatusLookup.BATCH) {
            if (lookup.singleRequests() && from >= MAX_SINGLE_RECHECKS) {
                List<String> left = ids.subList(from, ids.size());
                LOG.warn("Mastodon recheck: the server looks statuses up one a request; {} older statuses emitted"
                        + " lately are not rechecked (a deletion or edit of them while the source was away stays"
                        + " unseen)", left.size());
                left.forEach(pendingRecheck::remove);
                break;
            }
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + MastodonStatusLookup.BATCH));
            MastodonStatusLookup.Answer answer;
            try {
                answer = lookup.lookUp(batch, token);
            } catch (MastodonApiException e) {
                if (e.status() == 429) {
                    throw e; // waited for like any 429: the statuses stay to recheck
                }
                if (e.status() == 401 || e.status() == 403) {
                    metrics.errors.incrementAndGet();
                    LOG.warn("Mastodon recheck: the server refuses to look statuses up (HTTP {}); {} statuses emitted"
                            + " lately are not rechecked", e.status(), pendingRecheck.size());
                    pendingRecheck.clear();
                    return;
                }
                if (++recheckFailures >= MAX_RECHECK_FAILURES) {
                    metrics.errors.incrementAndGet();
                    LOG.warn("Mastodon recheck failed {} times in a row ({}): {} statuses emitted lately are not"
                            + " rechecked; the stream goes on", recheckFailures, e.getMessage(), pendingRecheck.size());
                    pendingRecheck.clear();
                    recheckFailures = 0;
                    return;
                }
                // Status 0: retried after the back-off (a 404 or 422 here is not a refused timeline).
                throw new MastodonApiException(0, e.getMessage(), e.serverSaid(), 0);
            }
            recheckFailures = 0;
            long receivedAt = clock.nowMillis();
            for (String id : batch) {
                String emittedEditedAt = pendingRecheck.remove(id);
                asked++;
                metrics.rechecked.incrementAndGet();
                if (answer.gone().contains(id)) {
                    if (!remember("delete " + id)) {
                        metrics.duplicates.incrementAndGet();
                        continue;
                    }
                    changed++;
                    metrics.recheckChanges.incrementAndGet();
                    emitDeletion(record("recheck: status " + id + " gone", madeUpEvent("delete", id), receivedAt), id);
                    continue;
                }
                JsonNode status = answer.found().get(id);
                String editedAt = editedAt(status);
                if (emittedEditedAt != null && EditTimes.isNewer(editedAt, emittedEditedAt)
                        && remember("edit " + id + " " + editedAt)) {
                    changed++;
                    metrics.recheckChanges.incrementAndGet();
                    emitEdit(record("recheck: status " + id + " edited at " + editedAt,
                            madeUpEvent("status.update", status.toString()), receivedAt), id, editedAt);
                }
            }
            OptionalLong remaining = MastodonRateLimit.remaining(answer.headers());
            if (remaining.isPresent() && remaining.getAsLong() <= 0 && from + MastodonStatusLookup.BATCH < ids.size()) {
                long wait = MastodonRateLimit.untilReset(answer.headers(), clock.nowMillis(), config.maxRateLimitWaitMs())
                        .orElse(config.maxBackoffMs());
                metrics.rateLimited.incrementAndGet();
                LOG.info("Mastodon rate limit spent during recheck: waiting {} ms for its reset", wait);
                metrics.waitingForRateLimit(clock.nowMillis() + wait, 0);
                try {
                    clock.sleep(wait);
                } finally {
                    metrics.rateLimitWaitOver();
                }
            }
        }
        LOG.info("Mastodon recheck: {} statuses emitted lately asked about, {} deleted or edited since", asked, changed);
    }

    /** A streaming event as the server would send it ({@code payload} a string), for a recheck's finding. */
    private byte[] madeUpEvent(String event, String payload) {
        ObjectNode e = mapper.createObjectNode();
        config.timeline().streamNames().forEach(e.putArray("stream")::add);
        e.put("event", event);
        e.put("payload", payload);
        try {
            return mapper.writeValueAsBytes(e);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A status's {@code edited_at}, "" when it was never edited. */
    private static String editedAt(JsonNode status) {
        JsonNode editedAt = status == null ? null : status.get("edited_at");
        return editedAt != null && editedAt.isTextual() ? editedAt.asText() : "";
    }

    private void emitOther(RawRecord record) throws InterruptedException {
        metrics.emitted.incrementAndGet();
        emit(MastodonFetchedElement.other(record));
    }

    /** Remembers an emitted status or event; false when it was emitted lately. */
    private boolean remember(String key) {
        return recent.put(key, Boolean.TRUE) == null;
    }

    /** The status a payload holds: the streaming API string-encodes it; an object is taken as it is. */
    private JsonNode payloadObject(JsonNode payload) {
        if (payload == null) {
            return null;
        }
        JsonNode status = payload.isTextual() ? parse(payload.asText()) : payload;
        return status != null && status.isObject() ? status : null;
    }

    /** The status's {@code id} when it is a status id, else null. */
    static String statusId(JsonNode status) {
        JsonNode id = status == null ? null : status.get("id");
        return id != null && id.isTextual() && StatusIds.isStatusId(id.asText()) ? id.asText() : null;
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
