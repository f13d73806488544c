package io.tidings.source.bluesky.reader;

import java.util.concurrent.atomic.AtomicLong;
import io.tidings.source.common.SourceReaderMetrics;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

/**
 * The source's metrics: those of every source ({@code received}: messages off the wire, {@code
 * errors}, {@code reconnects}, {@code currentBackoffMs}, {@code lagMs}: now − time_us/1000 of the
 * newest event received), and the counters {@code matched} (records emitted), {@code duplicates}
 * (replayed events dropped) and {@code filtered} (events processed but not emitted).
 */
@Internal
public final class JetstreamReaderMetrics extends SourceReaderMetrics {
    public final AtomicLong matched = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong filtered = new AtomicLong();
    /** The newest time_us received, or -1. */
    public final AtomicLong newestTimeUs = new AtomicLong(-1);

    @Override
    protected void registerMore(MetricGroup group) {
        counter(group, "matched", matched);
        counter(group, "duplicates", duplicates);
        counter(group, "filtered", filtered);
    }

    @Override
    protected long newestMillis() {
        long newest = newestTimeUs.get();
        return newest < 0 ? -1 : newest / 1000;
    }

    public void sawTimeUs(long timeUs) {
        newestTimeUs.accumulateAndGet(timeUs, Math::max);
    }
}
