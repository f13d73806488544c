package io.tidings.source.common;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconnect back-off of every source: how long to wait before the next attempt after a
 * failure. A source names its kinds of failure as {@link Policy policies} (X: network errors
 * linear +250 ms up to 16 s, HTTP errors doubling from 5 s up to 320 s, 429s doubling from 1 minute;
 * Bluesky and Mastodon: one doubling policy from their {@code backoff(initial, max)} setting); each
 * policy counts its own attempts, as X's docs prescribe. Reaching a policy's maximum is logged here,
 * once for all sources, at ERROR (X: "alert when the maximum back-off is reached").
 *
 * <p>{@link #reset} starts every policy over. The loop calls it through {@link
 * ReconnectingFetchLoop#delivered} when a connection delivered data (the rule, and why, is there).
 *
 * <p>No jitter: every wait is exactly the step, so tests assert waits under a recording {@link
 * SourceClock}; each source holds one connection per reader, so there is no herd of clients to
 * spread out. Adding jitter would be done here alone (with the random source injected for tests).
 *
 * <p>Not thread-safe: the fetch thread owns it.
 */
@Internal
public final class Backoff {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    /**
     * The steps for one kind of failure: {@code firstMs} for the first attempt, then {@code +firstMs}
     * each attempt (linear) or doubling (exponential), never more than {@code maxMs}.
     *
     * @param kind in log lines, e.g. {@code network error}
     * @param rateLimit whether its waits are a rate limit's (X's 429s), so that the gauges say
     *     "rate-limited until …" rather than "reconnecting"
     */
    public record Policy(String kind, long firstMs, long maxMs, boolean doubling, boolean rateLimit) {
        public Policy {
            if (firstMs <= 0 || maxMs < firstMs) {
                throw new IllegalArgumentException("back-off " + kind + ": first " + firstMs + " ms, max " + maxMs
                        + " ms: need 0 < first <= max");
            }
        }

        /** {@code firstMs}, doubling, up to {@code maxMs}. */
        public static Policy exponential(String kind, long firstMs, long maxMs) {
            return new Policy(kind, firstMs, maxMs, true, false);
        }

        /** {@code stepMs}, {@code 2 × stepMs}, … up to {@code maxMs}. */
        public static Policy linear(String kind, long stepMs, long maxMs) {
            return new Policy(kind, stepMs, maxMs, false, false);
        }

        /** The same steps, shown as a rate limit's waits. */
        public Policy asRateLimit() {
            return new Policy(kind, firstMs, maxMs, doubling, true);
        }

        /** The wait of attempt {@code attempt} (the first is 1). */
        public long step(int attempt) {
            if (!doubling) {
                return Math.min(firstMs * attempt, maxMs);
            }
            long wait = firstMs;
            for (int i = 1; i < attempt && wait < maxMs; i++) {
                wait *= 2;
            }
            return Math.min(wait, maxMs);
        }
    }

    /** In log lines: whose back-off, e.g. {@code X stream}. */
    private final String name;
    /** Attempts per policy since the last reset; not counted on past the maximum. */
    private final Map<Policy, Integer> attempts = new HashMap<>();
    private boolean atMaximum;

    public Backoff(String name) {
        this.name = name;
    }

    /**
     * The wait before the next attempt after a failure of {@code policy}'s kind; logs an ERROR when
     * it is the policy's maximum. {@code after} says what failed, for that line.
     */
    public long next(Policy policy, String after) {
        int attempt = attempts.getOrDefault(policy, 0) + 1;
        long wait = policy.step(attempt);
        atMaximum = wait >= policy.maxMs();
        if (atMaximum) {
            LOG.error("{} back-off reached its maximum for {} ({} ms) after: {}", name, policy.kind(), wait, after);
        } else {
            attempts.put(policy, attempt);
        }
        return wait;
    }

    /** Whether the last wait was its policy's maximum. */
    public boolean atMaximum() {
        return atMaximum;
    }

    /** Every policy starts over from its first step. */
    public void reset() {
        attempts.clear();
        atMaximum = false;
    }
}
