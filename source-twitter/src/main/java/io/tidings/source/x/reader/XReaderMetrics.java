package io.tidings.source.x.reader;

import java.util.concurrent.atomic.AtomicLong;
import io.tidings.source.common.SourceReaderMetrics;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

/**
 * The source's metrics: those of every source ({@code received}, {@code errors}, {@code reconnects},
 * {@code currentBackoffMs}, {@code lagMs}: now − created_at of the newest post received), and the
 * counters {@code invalidLines} and {@code complianceEvents} (events of the post compliance stream,
 * all partitions).
 */
@Internal
public final class XReaderMetrics extends SourceReaderMetrics {
    public final AtomicLong invalidLines = new AtomicLong();
    public final AtomicLong complianceEvents = new AtomicLong();
    /** Epoch ms of the newest created_at received, or -1. */
    public final AtomicLong newestCreatedAt = new AtomicLong(-1);

    @Override
    protected void registerMore(MetricGroup group) {
        counter(group, "invalidLines", invalidLines);
        counter(group, "complianceEvents", complianceEvents);
    }

    @Override
    protected long newestMillis() {
        return newestCreatedAt.get();
    }

    public void sawCreatedAt(long createdAtMillis) {
        newestCreatedAt.accumulateAndGet(createdAtMillis, Math::max);
    }
}
