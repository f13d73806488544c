package io.tidings.source.common;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics every source reader has, written by its fetch threads, read by Flink's reporters:
 * counters {@code received}, {@code errors}, {@code reconnects}; gauges {@code currentBackoffMs}
 * (the wait in progress), {@code rateLimitedUntilMs} and {@code rateLimitHttpStatus} (when that
 * wait is for a rate limit to reset: until when, epoch milliseconds, and the HTTP status that said
 * so, 0 when the server's headers said no requests were left; both 0 otherwise) and {@code lagMs}
 * (now − the time of the newest item received, -1 before the first). The rate-limit gauges let a
 * person tell "rate-limited until 14:05:12" from "reconnecting": the remedy differs (waiting vs.
 * looking at the network or the server). Subclasses add their own counters with {@link #counter}.
 */
@Internal
public abstract class SourceReaderMetrics {
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong reconnects = new AtomicLong();
    public final AtomicLong currentBackoffMs = new AtomicLong();
    public final AtomicLong rateLimitedUntilMs = new AtomicLong();
    public final AtomicLong rateLimitHttpStatus = new AtomicLong();

    /** Epoch milliseconds of the newest item received, or a negative number before the first. */
    protected abstract long newestMillis();

    /** Registers the source's own counters. */
    protected abstract void registerMore(MetricGroup group);

    public final void register(MetricGroup group, SourceClock clock) {
        counter(group, "received", received);
        counter(group, "errors", errors);
        counter(group, "reconnects", reconnects);
        registerMore(group);
        group.gauge("currentBackoffMs", (Gauge<Long>) currentBackoffMs::get);
        group.gauge("rateLimitedUntilMs", (Gauge<Long>) rateLimitedUntilMs::get);
        group.gauge("rateLimitHttpStatus", (Gauge<Long>) rateLimitHttpStatus::get);
        group.gauge("lagMs", (Gauge<Long>) () -> lagMs(clock.nowMillis()));
    }

    /**
     * The source waits for a rate limit until {@code untilMillis} (epoch ms): {@code httpStatus} is
     * the status that said so (429), or 0 when the headers of a successful answer said no requests
     * were left. Call {@link #rateLimitWaitOver} when the wait ends.
     */
    public void waitingForRateLimit(long untilMillis, int httpStatus) {
        rateLimitHttpStatus.set(httpStatus);
        rateLimitedUntilMs.set(untilMillis);
    }

    public void rateLimitWaitOver() {
        rateLimitedUntilMs.set(0);
        rateLimitHttpStatus.set(0);
    }

    /** now − the time of the newest item received, or -1 before the first. */
    public long lagMs(long nowMillis) {
        long newest = newestMillis();
        return newest < 0 ? -1 : Math.max(0, nowMillis - newest);
    }

    /** A Flink counter that reads and writes {@code value}, which the fetch threads update. */
    protected static void counter(MetricGroup group, String name, AtomicLong value) {
        group.counter(name, new AtomicCounter(value));
    }

    private static final class AtomicCounter implements Counter {
        private final AtomicLong value;

        AtomicCounter(AtomicLong value) {
            this.value = value;
        }

        @Override
        public void inc() {
            value.incrementAndGet();
        }

        @Override
        public void inc(long n) {
            value.addAndGet(n);
        }

        @Override
        public void dec() {
            value.decrementAndGet();
        }

        @Override
        public void dec(long n) {
            value.addAndGet(-n);
        }

        @Override
        public long getCount() {
            return value.get();
        }
    }
}
