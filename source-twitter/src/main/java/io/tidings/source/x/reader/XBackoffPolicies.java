package io.tidings.source.x.reader;

import io.tidings.source.common.Backoff;

/**
 * X's documented reconnect back-off (docs.x.com, fundamentals/handling-disconnections), as policies
 * of the sources' one {@link Backoff}:
 *
 * <ul>
 *   <li>network (TCP/IP) errors and stalls: linear, +250 ms per attempt, up to 16 s;
 *   <li>HTTP errors: exponential from 5 s, doubling, up to 320 s;
 *   <li>HTTP 429: exponential from 1 minute, doubling (we stop doubling at 16 minutes, just past
 *       the 15-minute rate-limit window), and never before {@code x-rate-limit-reset}.
 * </ul>
 *
 * Each kind counts its own attempts; all start over once a connection delivers data, and the next
 * connection then comes at once ({@code ReconnectingFetchLoop}).
 */
final class XBackoffPolicies {
    static final Backoff.Policy NETWORK = Backoff.Policy.linear("network errors", 250, 16_000);
    static final Backoff.Policy HTTP = Backoff.Policy.exponential("HTTP errors", 5_000, 320_000);
    static final Backoff.Policy RATE_LIMIT = Backoff.Policy.exponential("HTTP 429", 60_000, 960_000).asRateLimit();

    private XBackoffPolicies() {}

    /** How long until {@code x-rate-limit-reset} (epoch seconds; null: not sent), 0 when past. */
    static long untilReset(Long resetEpochSeconds, long nowMillis) {
        return resetEpochSeconds == null ? 0 : Math.max(0, resetEpochSeconds * 1000 - nowMillis);
    }
}
