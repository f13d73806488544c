package io.tidings.source.common;

import org.apache.flink.annotation.Internal;

/** Exponential back-off: {@code initial}, doubling up to {@code max}; reset once a connection delivers data. */
@Internal
public final class ExponentialBackoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    public ExponentialBackoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.nextMs = initialMs;
    }

    /** The wait before the next attempt; doubles the one after. */
    public long next() {
        long wait = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return wait;
    }

    public boolean atMax() {
        return nextMs >= maxMs;
    }

    public void reset() {
        nextMs = initialMs;
    }
}
