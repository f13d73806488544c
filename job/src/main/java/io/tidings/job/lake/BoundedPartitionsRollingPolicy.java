package io.tidings.job.lake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * Rolls every part file on each checkpoint (what commits it), and also earlier, so that the open
 * Parquet writers — each holds buffers until its file is closed — stay few whatever the data:
 * <ul>
 *   <li>a partition that got no row for {@code quietAfter} closes its file (an archive read in
 *       time order leaves each partition for good; with {@code quietAfter} at the checkpoint
 *       interval a slow stream makes no more files than before);</li>
 *   <li>beyond {@code maxOpenPartitions} open files, the least recently written ones close (an
 *       archive in random time order; it then makes more, smaller files, but never runs out of
 *       memory: importing years of posts with every hour's writer open did, at 3.5 GB);</li>
 *   <li>a file over {@code maxPartBytes} closes.</li>
 * </ul>
 * The sink asks about every open file at each bucket check (set it to a second or so). One policy
 * object serves one sink subtask, from one thread.
 */
public final class BoundedPartitionsRollingPolicy<IN> extends CheckpointRollingPolicy<IN, String> {
    private static final long serialVersionUID = 1L;

    private final long quietAfterMillis;
    private final int maxOpenPartitions;
    private final long maxPartBytes;
    /** Open part files by partition, with their last write, as of the latest bucket check. */
    private transient Map<String, Long> open;
    private transient long roundTime = Long.MIN_VALUE;
    /** Files last written before this close in the current round (the open ones beyond the limit). */
    private transient long roundThreshold;

    public BoundedPartitionsRollingPolicy(Duration quietAfter, int maxOpenPartitions, long maxPartBytes) {
        if (maxOpenPartitions < 1) {
            throw new IllegalArgumentException("max open partitions must be >= 1, got " + maxOpenPartitions);
        }
        this.quietAfterMillis = quietAfter.toMillis();
        this.maxOpenPartitions = maxOpenPartitions;
        this.maxPartBytes = maxPartBytes;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFile, IN element) throws java.io.IOException {
        return partFile.getSize() >= maxPartBytes && forget(partFile);
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFile, long now) {
        Map<String, Long> files = open();
        files.put(partFile.getBucketId(), partFile.getLastUpdateTime());
        if (now != roundTime) {
            roundTime = now;
            roundThreshold = threshold(files);
        }
        boolean quiet = now - partFile.getLastUpdateTime() >= quietAfterMillis;
        boolean beyondLimit = partFile.getLastUpdateTime() < roundThreshold;
        return (quiet || beyondLimit) && forget(partFile);
    }

    @Override
    public boolean shouldRollOnCheckpoint(PartFileInfo<String> partFile) {
        return forget(partFile);
    }

    /** The last-write time below which files are beyond the limit (the oldest writes close first). */
    private long threshold(Map<String, Long> files) {
        if (files.size() <= maxOpenPartitions) {
            return Long.MIN_VALUE;
        }
        List<Long> times = new ArrayList<>(files.values());
        times.sort(null);
        return times.get(files.size() - maxOpenPartitions);
    }

    /** The file rolls: it is no longer open. Returns true, the answer to the sink. */
    private boolean forget(PartFileInfo<String> partFile) {
        open().remove(partFile.getBucketId());
        return true;
    }

    private Map<String, Long> open() {
        if (open == null) {
            open = new HashMap<>();
        }
        return open;
    }

    /** How many files the policy knows to be open (tests). */
    int openPartitions() {
        return open().size();
    }
}
