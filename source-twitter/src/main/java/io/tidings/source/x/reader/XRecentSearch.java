package io.tidings.source.x.reader;

import io.tidings.source.common.SecretToken;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.RawRecord;
import io.tidings.source.common.Backoff;
import io.tidings.source.common.SourceClock;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.common.FetchSink;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recent search ({@code GET /2/tweets/search/recent}) for each rule from an {@link XSearchStart} (since
 * a post id, or from a time), page by page with {@code next_token}, each post emitted as its own
 * document shaped like a stream message: {@code {"data":…,"includes":{only what that post
 * references},"matching_rules":[{"tag":…}]}}. Used for gap fill after a (re)connect and for the
 * polling mode. Search results do not move the checkpointed position one by one (pages run newest
 * first); the caller advances it once a search is complete. HTTP 401 or 403 fails the source ({@link
 * XSourceException}): the token is refused, and the stream would be refused too.
 */
@Internal
public final class XRecentSearch {
    private static final Logger LOG = LoggerFactory.getLogger(XRecentSearch.class);
    public static final String SEARCH_PATH = "/2/tweets/search/recent";
    public static final String SOURCE = "x-search";
    static final int MAX_QUERY_LENGTH = 512;
    static final int MAX_FAILURES = 5;
    /**
     * X refuses a {@code start_time} less than 10 seconds before the request; 5 more seconds allow for
     * our clock running ahead of X's.
     */
    static final Duration MIN_START_TIME_AGE = Duration.ofSeconds(15);
    /** Recent search reaches back 7 days; a minute less allows for the clocks too. */
    static final Duration MAX_START_TIME_AGE = Duration.ofDays(7).minusMinutes(1);

    private final XApiClient client;
    private final ObjectMapper mapper;
    private final SourceClock clock;
    private final XReaderMetrics metrics;
    private final FetchSink<XFetchedElement> sink;
    private final SecretToken token;
    /** Epoch ms until which the search rate limit is used up (from x-rate-limit-remaining: 0), or 0. */
    private long exhaustedUntil;

    /** @param token where the bearer token comes from, to name it when X refuses it */
    public XRecentSearch(XApiClient client, ObjectMapper mapper, SourceClock clock, XReaderMetrics metrics,
            FetchSink<XFetchedElement> sink, SecretToken token) {
        this.client = client;
        this.mapper = mapper;
        this.clock = clock;
        this.metrics = metrics;
        this.sink = sink;
        this.token = token;
    }

    /**
     * The {@code start_time} to search from for posts since {@code fromMillis}, as X accepts it at
     * {@code nowMillis}: not later than {@link #MIN_START_TIME_AGE} before now (so a search soon after
     * {@code fromMillis} reaches a few seconds before it: more posts, never fewer), and not earlier than
     * recent search reaches (older posts are out of its reach: logged).
     */
    public static Instant startTimeFor(long fromMillis, long nowMillis) {
        long latest = nowMillis - MIN_START_TIME_AGE.toMillis();
        long earliest = nowMillis - MAX_START_TIME_AGE.toMillis();
        long from = Math.min(fromMillis, latest);
        if (from < earliest) {
            LOG.warn("recent search reaches back 7 days only: posts between {} and {} cannot be searched for",
                    Instant.ofEpochMilli(from), Instant.ofEpochMilli(earliest));
            from = earliest;
        }
        return Instant.ofEpochMilli(from);
    }

    /** How a search went: whether every rule was searched to the end, the newest id found, how many posts. */
    public record Outcome(boolean complete, String newestId, int records) {}

    /**
     * Searches every rule for posts from {@code start} (all pages, or the newest page only). With
     * {@code waitOnRateLimit} it waits out rate limits and retries failures (polling); without, it
     * gives up on the first limit or failure (gap fill, while a stream connection waits). A refused
     * token (401, 403) throws {@link XSourceException} either way.
     */
    public Outcome search(List<XRule> rules, XSearchStart start, boolean waitOnRateLimit) throws InterruptedException {
        boolean complete = true;
        String newest = null;
        int records = 0;
        for (XRule rule : rules) {
            if (rule.value().length() > MAX_QUERY_LENGTH) {
                LOG.warn("recent search skips rule '{}': {} characters, search queries allow {}",
                        rule.tag(), rule.value().length(), MAX_QUERY_LENGTH);
                complete = false;
                continue;
            }
            // Retries of this rule's requests: X's steps, started over after each page that came.
            Backoff backoff = new Backoff("X recent search");
            int failures = 0;
            String nextToken = null;
            int page = 0;
            boolean ruleDone = false;
            while (!ruleDone) {
                long now = clock.nowMillis();
                if (exhaustedUntil > now) {
                    if (!waitOnRateLimit) {
                        LOG.warn("recent search rate limit used up until {}: gap fill of rule '{}' skipped",
                                Instant.ofEpochMilli(exhaustedUntil), rule.tag());
                        complete = false;
                        break;
                    }
                    LOG.info("recent search rate limit used up: waiting {} ms", exhaustedUntil - now);
                    waitForRateLimit(exhaustedUntil - now, 0);
                }
                String path = SEARCH_PATH + "?query=" + encode(rule.value())
                        + start.queryParameters()
                        + "&max_results=100&" + XStreamFetcher.FIELDS
                        + (nextToken == null ? "" : "&next_token=" + encode(nextToken));
                XApiClient.Response resp;
                try {
                    resp = client.get(path);
                } catch (IOException e) {
                    metrics.errors.incrementAndGet();
                    if (!waitOnRateLimit || ++failures > MAX_FAILURES) {
                        LOG.warn("recent search for rule '{}' failed, giving up: {}", rule.tag(), e.toString());
                        complete = false;
                        break;
                    }
                    long wait = backoff.next(XBackoffPolicies.NETWORK, e.toString());
                    LOG.info("recent search for rule '{}' failed ({}): backing off {} ms", rule.tag(), e, wait);
                    clock.sleep(wait);
                    continue;
                }
                Long reset = resp.longHeader("x-rate-limit-reset");
                if (resp.status() == 429) {
                    metrics.errors.incrementAndGet();
                    if (!waitOnRateLimit) {
                        LOG.warn("recent search for rule '{}' rate limited (HTTP 429): gap fill skipped", rule.tag());
                        if (reset != null) {
                            exhaustedUntil = reset * 1000;
                        }
                        complete = false;
                        break;
                    }
                    long wait = Math.max(backoff.next(XBackoffPolicies.RATE_LIMIT, "HTTP 429"),
                            XBackoffPolicies.untilReset(reset, clock.nowMillis()));
                    LOG.info("recent search for rule '{}' rate limited (HTTP 429): backing off {} ms", rule.tag(), wait);
                    waitForRateLimit(wait, 429);
                    continue;
                }
                if (resp.status() != 200) {
                    metrics.errors.incrementAndGet();
                    if (XSourceException.refusesToken(resp.status())) {
                        throw XSourceException.tokenRefused(resp.status(), "GET " + SEARCH_PATH, resp.body(), token);
                    }
                    boolean permanent = resp.status() >= 400 && resp.status() < 500;
                    if (permanent || !waitOnRateLimit || ++failures > MAX_FAILURES) {
                        LOG.warn("recent search for rule '{}' failed with HTTP {}, giving up: {}", rule.tag(),
                                resp.status(), XApiException.abbreviate(resp.body()));
                        complete = false;
                        break;
                    }
                    long wait = backoff.next(XBackoffPolicies.HTTP, "HTTP " + resp.status());
                    LOG.info("recent search for rule '{}' failed with HTTP {}: backing off {} ms", rule.tag(), resp.status(), wait);
                    clock.sleep(wait);
                    continue;
                }
                JsonNode root;
                try {
                    root = mapper.readTree(resp.body());
                } catch (IOException e) {
                    metrics.errors.incrementAndGet();
                    LOG.warn("recent search for rule '{}' answered with invalid JSON, giving up: {}", rule.tag(), e.toString());
                    complete = false;
                    break;
                }
                page++;
                JsonNode includes = root.path("includes");
                for (JsonNode tweet : root.path("data")) {
                    String id = tweet.path("id").asText(null);
                    ObjectNode doc = document(mapper, tweet, includes, rule.tag());
                    long receivedAt = clock.nowMillis();
                    RawRecord record = new RawRecord(SOURCE, id == null ? "search page " + page : "tweet " + id,
                            bytes(mapper, doc), receivedAt);
                    record.matchedRules = new String[] {rule.tag()};
                    metrics.received.incrementAndGet();
                    XStreamFetcher.noteCreatedAt(metrics, tweet);
                    sink.accept(XFetchedElement.record(record, id));
                    records++;
                    if (id != null && (newest == null || XStreamSplit.compareIds(id, newest) > 0)) {
                        newest = id;
                    }
                }
                Long remaining = resp.longHeader("x-rate-limit-remaining");
                if (remaining != null && remaining <= 0 && reset != null) {
                    exhaustedUntil = reset * 1000;
                }
                nextToken = root.path("meta").path("next_token").asText(null);
                backoff.reset();
                failures = 0;
                ruleDone = nextToken == null || !start.allPages();
            }
        }
        return new Outcome(complete, newest, records);
    }

    /** One post as a stream-shaped document, with only the includes it references. */
    static ObjectNode document(ObjectMapper mapper, JsonNode tweet, JsonNode includes, String tag) {
        ObjectNode doc = mapper.createObjectNode();
        doc.set("data", tweet);
        Set<String> tweetIds = new HashSet<>();
        for (JsonNode ref : tweet.path("referenced_tweets")) {
            tweetIds.add(ref.path("id").asText());
        }
        Set<String> userIds = new HashSet<>();
        Set<String> placeIds = new HashSet<>();
        addIfPresent(userIds, tweet.path("author_id"));
        addIfPresent(placeIds, tweet.path("geo").path("place_id"));
        ArrayNode tweets = mapper.createArrayNode();
        for (JsonNode t : includes.path("tweets")) {
            if (tweetIds.contains(t.path("id").asText())) {
                tweets.add(t);
                addIfPresent(userIds, t.path("author_id"));
                addIfPresent(placeIds, t.path("geo").path("place_id"));
            }
        }
        ObjectNode inc = mapper.createObjectNode();
        ArrayNode users = filter(mapper, includes.path("users"), userIds);
        if (!users.isEmpty()) {
            inc.set("users", users);
        }
        if (!tweets.isEmpty()) {
            inc.set("tweets", tweets);
        }
        ArrayNode places = filter(mapper, includes.path("places"), placeIds);
        if (!places.isEmpty()) {
            inc.set("places", places);
        }
        if (!inc.isEmpty()) {
            doc.set("includes", inc);
        }
        doc.putArray("matching_rules").addObject().put("tag", tag);
        return doc;
    }

    private static ArrayNode filter(ObjectMapper mapper, JsonNode items, Set<String> ids) {
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode item : items) {
            if (ids.contains(item.path("id").asText())) {
                out.add(item);
            }
        }
        return out;
    }

    private static void addIfPresent(Set<String> ids, JsonNode id) {
        if (id.isTextual()) {
            ids.add(id.asText());
        }
    }

    static byte[] bytes(ObjectMapper mapper, JsonNode doc) {
        try {
            return mapper.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Waits for a rate limit, the gauges saying so ({@code httpStatus} 429, or 0 when the headers said the limit was spent). */
    private void waitForRateLimit(long wait, int httpStatus) throws InterruptedException {
        metrics.waitingForRateLimit(clock.nowMillis() + wait, httpStatus);
        try {
            clock.sleep(wait);
        } finally {
            metrics.rateLimitWaitOver();
        }
    }
}
