package io.tidings.source.x.reader;

import org.apache.flink.annotation.Internal;

/**
 * X's documented reconnect back-off (docs.x.com, fundamentals/handling-disconnections):
 *
 * <ul>
 *   <li>network (TCP/IP) errors and stalls: linear, +250 ms per attempt, up to 16 s;
 *   <li>HTTP errors: exponential from 5 s, doubling, up to 320 s;
 *   <li>HTTP 429: exponential from 1 minute, doubling (we stop doubling at 16 minutes, just past
 *       the 15-minute rate-limit window), and never before {@code x-rate-limit-reset}.
 * </ul>
 *
 * Each kind counts its own attempts; {@link #reset()} after a connection that delivered data.
 * Not thread-safe: the fetch thread owns it.
 */
@Internal
public final class XBackoff {
    public static final long NETWORK_STEP_MS = 250;
    public static final long NETWORK_MAX_MS = 16_000;
    public static final long HTTP_START_MS = 5_000;
    public static final long HTTP_MAX_MS = 320_000;
    public static final long RATE_LIMIT_START_MS = 60_000;
    public static final long RATE_LIMIT_MAX_MS = 960_000;

    private int networkAttempts;
    private int httpAttempts;
    private int rateLimitAttempts;
    private boolean atMaximum;

    /** The wait before the next attempt after a network error or stall. */
    public long network() {
        networkAttempts++;
        long wait = Math.min(NETWORK_STEP_MS * networkAttempts, NETWORK_MAX_MS);
        atMaximum = wait == NETWORK_MAX_MS;
        return wait;
    }

    /** The wait before the next attempt after an HTTP error status other than 429. */
    public long http() {
        httpAttempts++;
        long wait = exponential(HTTP_START_MS, httpAttempts, HTTP_MAX_MS);
        atMaximum = wait == HTTP_MAX_MS;
        return wait;
    }

    /**
     * The wait before the next attempt after HTTP 429: the exponential step, or until {@code
     * resetEpochSeconds} ({@code x-rate-limit-reset}) when that is later.
     */
    public long rateLimited(Long resetEpochSeconds, long nowMillis) {
        rateLimitAttempts++;
        long wait = exponential(RATE_LIMIT_START_MS, rateLimitAttempts, RATE_LIMIT_MAX_MS);
        atMaximum = wait == RATE_LIMIT_MAX_MS;
        if (resetEpochSeconds != null) {
            wait = Math.max(wait, resetEpochSeconds * 1000 - nowMillis);
        }
        return wait;
    }

    /** Whether the last wait was the maximum of its kind (X: alert when it is reached). */
    public boolean atMaximum() {
        return atMaximum;
    }

    public void reset() {
        networkAttempts = 0;
        httpAttempts = 0;
        rateLimitAttempts = 0;
        atMaximum = false;
    }

    private static long exponential(long start, int attempt, long max) {
        long wait = start;
        for (int i = 1; i < attempt && wait < max; i++) {
            wait *= 2;
        }
        return Math.min(wait, max);
    }
}
