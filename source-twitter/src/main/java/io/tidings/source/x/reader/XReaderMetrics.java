package io.tidings.source.x.reader;

import java.util.concurrent.atomic.AtomicLong;
import io.tidings.source.x.source.XClock;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The source's metrics, written by the fetch thread, read by Flink's reporters: counters {@code
 * received}, {@code errors}, {@code reconnects}, {@code invalidLines}, {@code complianceEvents}
 * (events of the post compliance stream, all partitions); gauges {@code
 * currentBackoffMs} and {@code lagMs} (now − created_at of the newest post received).
 */
@Internal
public final class XReaderMetrics {
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong reconnects = new AtomicLong();
    public final AtomicLong invalidLines = new AtomicLong();
    public final AtomicLong complianceEvents = new AtomicLong();
    public final AtomicLong currentBackoffMs = new AtomicLong();
    /** Epoch ms of the newest created_at received, or -1. */
    public final AtomicLong newestCreatedAt = new AtomicLong(-1);

    public void register(MetricGroup group, XClock clock) {
        group.counter("received", new AtomicCounter(received));
        group.counter("errors", new AtomicCounter(errors));
        group.counter("reconnects", new AtomicCounter(reconnects));
        group.counter("invalidLines", new AtomicCounter(invalidLines));
        group.counter("complianceEvents", new AtomicCounter(complianceEvents));
        group.gauge("currentBackoffMs", (Gauge<Long>) currentBackoffMs::get);
        group.gauge("lagMs", (Gauge<Long>) () -> lagMs(clock.nowMillis()));
    }

    /** now − created_at of the newest post, or -1 before the first. */
    public long lagMs(long nowMillis) {
        long newest = newestCreatedAt.get();
        return newest < 0 ? -1 : Math.max(0, nowMillis - newest);
    }

    public void sawCreatedAt(long createdAtMillis) {
        newestCreatedAt.accumulateAndGet(createdAtMillis, Math::max);
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
