package io.tidings.source.mastodon.reader;

import org.apache.flink.annotation.Internal;

/**
 * A timeline request that failed: the HTTP status (0 when no answer came), what the server said, and
 * for a 429 how long its {@code X-RateLimit-Reset} says to wait.
 */
@Internal
final class MastodonApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String serverSaid;
    private final long rateLimitWaitMs;

    MastodonApiException(int status, String message, String serverSaid, long rateLimitWaitMs) {
        super(message);
        this.status = status;
        this.serverSaid = serverSaid;
        this.rateLimitWaitMs = rateLimitWaitMs;
    }

    int status() {
        return status;
    }

    String serverSaid() {
        return serverSaid;
    }

    long rateLimitWaitMs() {
        return rateLimitWaitMs;
    }
}
