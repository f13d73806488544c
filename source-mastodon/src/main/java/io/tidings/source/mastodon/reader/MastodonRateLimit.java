package io.tidings.source.mastodon.reader;

import java.net.http.HttpHeaders;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import org.apache.flink.annotation.Internal;

/**
 * Mastodon's rate-limit headers: {@code X-RateLimit-Remaining} (requests left in the window) and
 * {@code X-RateLimit-Reset} (an ISO 8601 time when the window starts again). A 429 says the limit is
 * spent; the source then waits until the reset rather than its back-off, which would only meet more
 * 429s.
 */
@Internal
final class MastodonRateLimit {
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";

    private MastodonRateLimit() {}

    /** Requests left in the window, when the server says. */
    static OptionalLong remaining(HttpHeaders headers) {
        if (headers == null) {
            return OptionalLong.empty();
        }
        try {
            return headers.firstValue(REMAINING).map(String::strip).map(v -> OptionalLong.of(Long.parseLong(v)))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Milliseconds from {@code nowMillis} until the reset, at most {@code maxMs}; 0 when it is past;
     * empty when the header is missing or not a time.
     */
    static OptionalLong untilReset(HttpHeaders headers, long nowMillis, long maxMs) {
        if (headers == null) {
            return OptionalLong.empty();
        }
        String reset = headers.firstValue(RESET).map(String::strip).orElse(null);
        if (reset == null) {
            return OptionalLong.empty();
        }
        try {
            long at = OffsetDateTime.parse(reset).toInstant().toEpochMilli();
            return OptionalLong.of(Math.max(0, Math.min(maxMs, at - nowMillis)));
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }
}
