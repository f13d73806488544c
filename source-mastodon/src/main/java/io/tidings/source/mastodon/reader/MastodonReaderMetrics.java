package io.tidings.source.mastodon.reader;

import io.tidings.source.common.SourceReaderMetrics;
import io.tidings.source.mastodon.split.StatusIds;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

/**
 * The source's metrics: those of every source ({@code received}: messages off the wire and statuses
 * from gap fill, {@code errors}, {@code reconnects}, {@code currentBackoffMs}, {@code lagMs}: now −
 * the creation time encoded in the newest status id received), and the counters {@code emitted}
 * (records), {@code gapFilled} (statuses from the timeline endpoint), {@code duplicates} (statuses or
 * events emitted already, dropped), {@code ignored} (stream events that carry no post) and {@code
 * rateLimited} (429s and waits for an exhausted rate limit), {@code rechecked} (statuses emitted
 * lately asked about again after a gap or a restore) and {@code recheckChanges} (those found deleted or
 * edited: tombstones and edits the recheck emitted).
 */
@Internal
public final class MastodonReaderMetrics extends SourceReaderMetrics {
    public final AtomicLong emitted = new AtomicLong();
    public final AtomicLong gapFilled = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong ignored = new AtomicLong();
    public final AtomicLong rateLimited = new AtomicLong();
    public final AtomicLong rechecked = new AtomicLong();
    public final AtomicLong recheckChanges = new AtomicLong();
    private final AtomicReference<String> newestStatusId = new AtomicReference<>("");

    @Override
    protected void registerMore(MetricGroup group) {
        counter(group, "emitted", emitted);
        counter(group, "gapFilled", gapFilled);
        counter(group, "duplicates", duplicates);
        counter(group, "ignored", ignored);
        counter(group, "rateLimited", rateLimited);
        counter(group, "rechecked", rechecked);
        counter(group, "recheckChanges", recheckChanges);
    }

    /** Status ids carry their creation time in milliseconds above the low 16 bits. */
    @Override
    protected long newestMillis() {
        String newest = newestStatusId.get();
        if (newest.isEmpty() || newest.length() > 19) {
            return -1;
        }
        return Long.parseLong(newest) >>> 16;
    }

    public void sawStatusId(String id) {
        newestStatusId.accumulateAndGet(id, StatusIds::max);
    }
}
