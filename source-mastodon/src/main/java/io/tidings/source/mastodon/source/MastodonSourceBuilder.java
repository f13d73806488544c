package io.tidings.source.mastodon.source;

import io.tidings.source.common.SecretToken;
import io.tidings.source.common.SourceClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builds a {@link MastodonSource}:
 *
 * <pre>{@code
 * MastodonSource source = MastodonSource.builder()
 *         .server(URI.create("https://mastodon.social"))
 *         .timeline(MastodonTimeline.hashtag("flink", false))
 *         .accessTokenFrom("env:MASTODON_TOKEN")      // when the server wants one
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "mastodon").setParallelism(1);
 * }</pre>
 */
@PublicEvolving
public final class MastodonSourceBuilder {
    /** Mastodon's largest {@code limit} for timelines. */
    public static final int MAX_PAGE_LIMIT = 40;
    /** The streaming API's path on a server. */
    public static final String STREAMING_PATH = "/api/v1/streaming";

    private URI server;
    private URI streamingUrl;
    private MastodonTimeline timeline = MastodonTimeline.publicTimeline(false);
    private SecretToken accessToken;
    private int pageLimit = MAX_PAGE_LIMIT;
    private Duration stallTimeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration maxRateLimitWait = Duration.ofMinutes(15);
    private SourceClock clock = SourceClock.SYSTEM;

    MastodonSourceBuilder() {}

    /** The server's base URL, {@code https://server} ({@code http://} for a local server). Required. */
    public MastodonSourceBuilder server(URI server) {
        this.server = server;
        return this;
    }

    /**
     * The streaming endpoint, when the server serves it elsewhere (its {@code /api/v2/instance} says
     * {@code configuration.urls.streaming}); default: {@code ws(s)://server/api/v1/streaming}.
     */
    public MastodonSourceBuilder streamingUrl(URI streamingUrl) {
        this.streamingUrl = streamingUrl;
        return this;
    }

    /** The timeline to follow; default the federated public timeline. */
    public MastodonSourceBuilder timeline(MastodonTimeline timeline) {
        this.timeline = timeline;
        return this;
    }

    /** The access token, where the server requires one (some do for public timelines; lists always). */
    public MastodonSourceBuilder accessToken(SecretToken token) {
        this.accessToken = token == null ? null : token.named("Mastodon", "access token");
        return this;
    }

    /** {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID[#key]}, resolved when the reader opens. */
    public MastodonSourceBuilder accessTokenFrom(String spec) {
        return accessToken(SecretToken.parse(spec));
    }

    /** Statuses per timeline page when filling a gap, 1 to 40 (default 40). */
    public MastodonSourceBuilder pageLimit(int pageLimit) {
        this.pageLimit = pageLimit;
        return this;
    }

    /**
     * Nothing heard for this long (no event, no ping or pong) means a dead connection. While nothing
     * comes the source pings every third of it. Default 60 s.
     */
    public MastodonSourceBuilder stallTimeout(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
        return this;
    }

    /** Timeout of the WebSocket opening handshake. Default 10 s. */
    public MastodonSourceBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** Timeout of one timeline request. Default 30 s. */
    public MastodonSourceBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /** Back-off after failures: starts at {@code initial}, doubles up to {@code max}. Default 1 s .. 60 s. */
    public MastodonSourceBuilder backoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** The longest wait a 429's {@code X-RateLimit-Reset} may ask for. Default 15 min. */
    public MastodonSourceBuilder maxRateLimitWait(Duration maxRateLimitWait) {
        this.maxRateLimitWait = maxRateLimitWait;
        return this;
    }

    /** Time and waiting; tests pass a fake one. Must be serializable. */
    public MastodonSourceBuilder clock(SourceClock clock) {
        this.clock = clock;
        return this;
    }

    public MastodonSource build() {
        List<String> problems = new ArrayList<>();
        URI base = null;
        if (server == null) {
            problems.add("no server: give the server's URL, e.g. https://mastodon.social");
        } else if (server.getScheme() == null || server.getHost() == null
                || !(server.getScheme().equals("https") || server.getScheme().equals("http"))) {
            problems.add("server must be an http(s):// URL like https://mastodon.social, got " + server);
        } else if (server.getRawQuery() != null || server.getRawFragment() != null || server.getRawUserInfo() != null) {
            problems.add("server " + server + " has a query, fragment or user: give just https://host");
        } else if (server.getRawPath() != null && !server.getRawPath().isEmpty() && !server.getRawPath().equals("/")) {
            problems.add("server " + server + " has a path: give just https://host (the source adds /api/v1/...)");
        } else {
            base = URI.create(server.getScheme() + "://" + server.getRawAuthority());
        }
        URI streaming = streamingUrl;
        if (streaming != null) {
            if (streaming.getScheme() == null || streaming.getHost() == null
                    || !(streaming.getScheme().equals("wss") || streaming.getScheme().equals("ws"))) {
                problems.add("streaming URL must be a ws:// or wss:// URL, got " + streaming);
            } else if (streaming.getRawQuery() != null) {
                problems.add("streaming URL " + streaming + " has a query; the source sets it");
            } else if (streaming.getRawPath() == null || streaming.getRawPath().isEmpty() || streaming.getRawPath().equals("/")) {
                streaming = URI.create(streaming.getScheme() + "://" + streaming.getRawAuthority() + STREAMING_PATH);
            }
        } else if (base != null) {
            streaming = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
                    + STREAMING_PATH);
        }
        if (timeline == null) {
            problems.add("timeline must not be null");
        } else if (timeline.problem() != null) {
            problems.add(timeline.problem());
        } else if (timeline.kind() == MastodonTimeline.Kind.LIST && accessToken == null) {
            problems.add("a list is its owner's: following list " + timeline.name() + " needs the owner's access token");
        }
        if (pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT) {
            problems.add("page limit must be 1 to " + MAX_PAGE_LIMIT + ", got " + pageLimit);
        }
        requirePositive(stallTimeout, "stallTimeout", problems);
        requirePositive(connectTimeout, "connectTimeout", problems);
        requirePositive(requestTimeout, "requestTimeout", problems);
        requirePositive(initialBackoff, "initial backoff", problems);
        requirePositive(maxBackoff, "max backoff", problems);
        requirePositive(maxRateLimitWait, "maxRateLimitWait", problems);
        if (initialBackoff != null && maxBackoff != null && initialBackoff.compareTo(maxBackoff) > 0) {
            problems.add("initial backoff " + initialBackoff + " is longer than max backoff " + maxBackoff);
        }
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid MastodonSource configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new MastodonSource(new MastodonSourceConfig(base, streaming, timeline, accessToken, pageLimit,
                stallTimeout, connectTimeout, requestTimeout, initialBackoff, maxBackoff, maxRateLimitWait, clock));
    }

    private static void requirePositive(Duration d, String name, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, got " + d);
        }
    }
}
