package io.tidings.job.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.junit.jupiter.api.Test;

/** When an open part file closes before its checkpoint: quiet, beyond the open-partition limit, or too big. */
class BoundedPartitionsRollingPolicyTest {
    record Part(String bucket, long lastUpdate, long size) implements PartFileInfo<String> {
        @Override
        public String getBucketId() {
            return bucket;
        }

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public long getSize() {
            return size;
        }

        @Override
        public long getLastUpdateTime() {
            return lastUpdate;
        }
    }

    private final BoundedPartitionsRollingPolicy<Object> policy =
            new BoundedPartitionsRollingPolicy<>(Duration.ofSeconds(5), 3, 1_000);

    @Test
    void aQuietPartitionCloses() {
        assertThat(policy.shouldRollOnProcessingTime(new Part("dt=2021-01-01", 10_000, 10), 14_999)).isFalse();
        assertThat(policy.shouldRollOnProcessingTime(new Part("dt=2021-01-01", 10_000, 10), 15_000)).isTrue();
    }

    @Test
    void beyondTheLimitTheLeastRecentlyWrittenClose() {
        // Six busy partitions, written 100 ms apart: the three written longest ago close.
        List<Part> open = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            open.add(new Part("dt=2021-01-0" + (i + 1), 100_000 + i * 100, 10));
        }
        // The first round only learns what is open; the next one closes the oldest.
        open.forEach(p -> policy.shouldRollOnProcessingTime(p, 100_600));
        List<String> closed = new ArrayList<>();
        for (Part p : open) {
            if (policy.shouldRollOnProcessingTime(p, 101_600)) {
                closed.add(p.bucket());
            }
        }
        assertThat(closed).containsExactly("dt=2021-01-01", "dt=2021-01-02", "dt=2021-01-03");
        assertThat(policy.openPartitions()).isEqualTo(3);
        // A checkpoint closes the rest, and the policy forgets them.
        open.subList(3, 6).forEach(p -> assertThat(policy.shouldRollOnCheckpoint(p)).isTrue());
        assertThat(policy.openPartitions()).isZero();
    }

    @Test
    void aFileOverTheSizeLimitCloses() throws Exception {
        assertThat(policy.shouldRollOnEvent(new Part("dt=2021-01-01", 1, 999), "row")).isFalse();
        assertThat(policy.shouldRollOnEvent(new Part("dt=2021-01-01", 1, 1_000), "row")).isTrue();
    }
}
