package io.tidings.source.bluesky.reader;

import java.util.concurrent.atomic.AtomicLong;
import io.tidings.source.bluesky.source.JetstreamClock;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The source's metrics, written by the fetch thread, read by Flink's reporters: counters {@code
 * received} (messages off the wire), {@code matched} (records emitted), {@code errors}, {@code
 * reconnects}, {@code duplicates} (replayed events dropped), {@code filtered} (events processed but
 * not emitted); gauges {@code currentBackoffMs} and {@code lagMs} (now − time_us/1000 of the newest
 * event received).
 */
@Internal
public final class JetstreamReaderMetrics {
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong matched = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong reconnects = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong filtered = new AtomicLong();
    public final AtomicLong currentBackoffMs = new AtomicLong();
    /** The newest time_us received, or -1. */
    public final AtomicLong newestTimeUs = new AtomicLong(-1);

    public void register(MetricGroup group, JetstreamClock clock) {
        group.counter("received", new AtomicCounter(received));
        group.counter("matched", new AtomicCounter(matched));
        group.counter("errors", new AtomicCounter(errors));
        group.counter("reconnects", new AtomicCounter(reconnects));
        group.counter("duplicates", new AtomicCounter(duplicates));
        group.counter("filtered", new AtomicCounter(filtered));
        group.gauge("currentBackoffMs", (Gauge<Long>) currentBackoffMs::get);
        group.gauge("lagMs", (Gauge<Long>) () -> lagMs(clock.nowMillis()));
    }

    /** now − time_us/1000 of the newest event received, or -1 before the first. */
    public long lagMs(long nowMillis) {
        long newest = newestTimeUs.get();
        return newest < 0 ? -1 : Math.max(0, nowMillis - newest / 1000);
    }

    public void sawTimeUs(long timeUs) {
        newestTimeUs.accumulateAndGet(timeUs, Math::max);
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
