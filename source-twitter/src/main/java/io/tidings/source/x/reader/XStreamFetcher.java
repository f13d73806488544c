package io.tidings.source.x.reader;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.SourceClock;
import io.tidings.source.x.source.XSourceMode;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop that runs on the reader's own thread: rule sync, then either the filtered stream
 * (connect, gap fill, read lines, reconnect with X's back-off: {@link XStreamingLoop}) or
 * recent-search polling. Everything it fetches goes to an {@link FetchSink}; every wait goes
 * through the {@link SourceClock}.
 *
 * <p>A stream line with a {@code data} object is a post and is emitted as received (source
 * {@code x-stream}), moving the position to its id; other lines are handled by {@link XStreamingLoop}.
 */
@Internal
public final class XStreamFetcher extends XStreamingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamFetcher.class);

    public static final String STREAM_PATH = "/2/tweets/search/stream";
    public static final String SOURCE = "x-stream";
    /** What a post needs downstream; the same for the stream and recent search. */
    public static final String FIELDS = "tweet.fields=created_at,author_id,lang,public_metrics,entities,"
            + "referenced_tweets,geo,note_tweet,conversation_id"
            + "&expansions=author_id,geo.place_id,referenced_tweets.id"
            + "&user.fields=username,name,location,public_metrics"
            + "&place.fields=full_name,geo,country_code";

    private final XRecentSearch search;
    /** When the subscription started, epoch ms: before the first post, gap fill searches from here. */
    private final long subscribedAt;
    /**
     * Whether the subscription starts with this fetcher (a fresh split): then its first connection has
     * nothing to fill. A split from a checkpoint fills after its first connection too.
     */
    private final boolean freshSubscription;

    /** The newest post id fetched so far (what gap fill and polling search since). */
    private volatile String newestId;

    /**
     * @param split where to go on from: the newest post id emitted, and when the subscription started
     *     (the reader stamps a fresh split before it fetches)
     * @param freshSubscription whether the subscription starts now (the split was fresh), rather than
     *     going on after a restore
     */
    public XStreamFetcher(XStreamSourceConfig config, XApiClient client, XStreamSplit split,
            boolean freshSubscription, FetchSink<XFetchedElement> sink, XReaderMetrics metrics) {
        super(config, client, sink, metrics, "X stream", SOURCE, true);
        if (!split.hasStarted()) {
            throw new IllegalArgumentException("the split's subscription has no start time: " + split);
        }
        this.newestId = split.newestPostId().orElse(null);
        this.subscribedAt = split.subscribedAt();
        this.freshSubscription = freshSubscription;
        this.search = new XRecentSearch(client, mapper, clock, metrics, sink, config.bearerToken());
    }

    @Override
    protected void fetch() throws Exception {
        if (config.syncRules() && config.mode() == XSourceMode.STREAM) {
            syncRules();
        }
        if (config.mode() == XSourceMode.STREAM) {
            reconnectLoop();
        } else {
            pollLoop();
        }
    }

    public String newestId() {
        return newestId;
    }

    // ---------------------------------------------------------------- rules

    void syncRules() throws InterruptedException {
        XRuleSync sync = new XRuleSync(client, mapper);
        while (running()) {
            try {
                sync.sync(config.rules());
                delivered();
                return;
            } catch (XApiException e) {
                metrics.errors.incrementAndGet();
                if (XSourceException.refusesToken(e.status())) {
                    throw XSourceException.tokenRefused(e.status(), e.request(), e.body(), config.bearerToken());
                }
                if (e.isPermanent()) {
                    throw new XSourceException("X rule sync failed: " + e.getMessage(), e);
                }
                String reason = "rule sync: " + e.getMessage();
                backOff(e.isRateLimited() ? rateLimited(reason, e.rateLimitReset())
                        : Disconnect.failed(reason, XBackoffPolicies.HTTP));
            } catch (IOException e) {
                metrics.errors.incrementAndGet();
                backOff(Disconnect.failed("rule sync: " + e, XBackoffPolicies.NETWORK));
            }
        }
    }

    // ---------------------------------------------------------------- stream

    @Override
    protected String request(long connection) {
        return STREAM_PATH + "?" + FIELDS;
    }

    @Override
    protected String path() {
        return STREAM_PATH;
    }

    /** 401 and 403 fail the source (no retry can make X accept the token); other errors back off. */
    @Override
    protected ConnectionResult refused(XApiClient.StreamResponse resp, String text) {
        if (XSourceException.refusesToken(resp.status())) {
            throw XSourceException.tokenRefused(resp.status(), "GET " + STREAM_PATH, text, config.bearerToken());
        }
        String reason = "HTTP " + resp.status() + " " + XApiException.abbreviate(text);
        if (text.contains("TooManyConnections")) {
            reason += " (another connection holds the stream; DELETE /2/connections/all clears a stale one)";
        }
        return new ConnectionResult(resp.status() == 429 ? End.RATE_LIMITED : End.HTTP_ERROR, reason,
                resp.longHeader("x-rate-limit-reset"));
    }

    /**
     * After every (re)connect, recent search for what the stream missed: since the newest post, or,
     * before the first post, from when the subscription started. Only the first connection of a fresh
     * subscription has nothing to fill: nothing came before it.
     */
    @Override
    protected void afterConnect(long connection) throws InterruptedException {
        if (!config.gapFill()) {
            return;
        }
        XSearchStart start;
        if (newestId != null) {
            start = XSearchStart.after(newestId);
        } else if (freshSubscription && connection == 1) {
            return;
        } else {
            start = XSearchStart.at(XRecentSearch.startTimeFor(subscribedAt, clock.nowMillis()));
        }
        LOG.info("X gap fill: recent search for {} rules {}", config.rules().size(), start);
        XRecentSearch.Outcome outcome = search.search(config.rules(), start, false);
        LOG.info("X gap fill {}: {} posts, newest {}", outcome.complete() ? "complete" : "INCOMPLETE",
                outcome.records(), outcome.newestId());
        if (outcome.complete() && outcome.newestId() != null) {
            advanceTo(outcome.newestId());
        }
    }

    @Override
    protected void onData(JsonNode root, JsonNode data, byte[] line, long receivedAt, long connection, long lineNo)
            throws InterruptedException {
        String id = data.path("id").asText(null);
        RawRecord record = new RawRecord(SOURCE, id == null ? where(connection, lineNo) : "tweet " + id, line, receivedAt);
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
        if (id != null) {
            if (newestId == null || XStreamSplit.compareIds(id, newestId) > 0) {
                newestId = id;
            }
            emit(XFetchedElement.advancing(record, id));
        } else {
            emit(XFetchedElement.record(record, null));
        }
    }

    private void advanceTo(String id) throws InterruptedException {
        if (newestId == null || XStreamSplit.compareIds(id, newestId) > 0) {
            newestId = id;
        }
        emit(XFetchedElement.positionAdvance(id));
    }

    // ---------------------------------------------------------------- polling

    void pollLoop() throws InterruptedException {
        while (running()) {
            XSearchStart start = newestId == null ? XSearchStart.newestPageOnly() : XSearchStart.after(newestId);
            LOG.info("X poll: recent search for {} rules, {}", config.rules().size(), start);
            XRecentSearch.Outcome outcome = search.search(config.rules(), start, true);
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
}
