package io.tidings.source.mastodon.source;

import io.tidings.source.common.SecretToken;
import io.tidings.source.common.SourceClock;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/** What {@link MastodonSourceBuilder#build()} checked: everything the reader needs, serializable. */
@Internal
public final class MastodonSourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final URI server;
    private final URI streamingUrl;
    private final MastodonTimeline timeline;
    private final SecretToken accessToken;
    private final int pageLimit;
    private final long stallTimeoutMs;
    private final long connectTimeoutMs;
    private final long requestTimeoutMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final long maxRateLimitWaitMs;
    private final SourceClock clock;

    MastodonSourceConfig(URI server, URI streamingUrl, MastodonTimeline timeline, SecretToken accessToken, int pageLimit,
            Duration stallTimeout, Duration connectTimeout, Duration requestTimeout, Duration initialBackoff,
            Duration maxBackoff, Duration maxRateLimitWait, SourceClock clock) {
        this.server = server;
        this.streamingUrl = streamingUrl;
        this.timeline = timeline;
        this.accessToken = accessToken;
        this.pageLimit = pageLimit;
        this.stallTimeoutMs = stallTimeout.toMillis();
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.requestTimeoutMs = requestTimeout.toMillis();
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.maxRateLimitWaitMs = maxRateLimitWait.toMillis();
        this.clock = clock;
    }

    /** The server's base URL, e.g. {@code https://mastodon.social} (REST calls go there). */
    public URI server() {
        return server;
    }

    /** The streaming endpoint, e.g. {@code wss://mastodon.social/api/v1/streaming}. */
    public URI streamingUrl() {
        return streamingUrl;
    }

    public MastodonTimeline timeline() {
        return timeline;
    }

    /** Where the access token is, when the server needs one. */
    public Optional<SecretToken> accessToken() {
        return Optional.ofNullable(accessToken);
    }

    /** Statuses per timeline page when filling a gap (Mastodon allows at most 40). */
    public int pageLimit() {
        return pageLimit;
    }

    public long stallTimeoutMs() {
        return stallTimeoutMs;
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public long initialBackoffMs() {
        return initialBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    /** The longest wait for a rate limit's {@code X-RateLimit-Reset} (a clock far off must not stop the source for days). */
    public long maxRateLimitWaitMs() {
        return maxRateLimitWaitMs;
    }

    public SourceClock clock() {
        return clock;
    }

    /** e.g. {@code mastodon.social}, or {@code 127.0.0.1:8080} when the URL names a port. */
    public String serverName() {
        return server.getAuthority();
    }

    @Override
    public String toString() {
        return "MastodonSourceConfig{" + server + ", " + timeline + (accessToken == null ? "" : ", " + accessToken.describe())
                + "}";
    }
}
