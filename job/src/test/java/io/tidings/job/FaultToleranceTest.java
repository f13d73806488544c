package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.job.cli.ClusterArguments;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;

/** Who decides checkpointing where: the arguments, the cluster, tidings' defaults, the managed service. */
class FaultToleranceTest {
    private static final Set<String> NOTHING_GIVEN = Set.of();

    @Test
    void aBareClusterGetsTidingsCheckpointsRetentionAndRestarts() {
        ClusterArguments.Parsed parsed = ClusterArguments.parseWithGiven(new String[] {"--lake", "s3://b/lake", "--watch", "10", "in/"});
        assertThat(parsed.given()).isEmpty();

        Configuration conf = FaultTolerance.onCluster(new Configuration(), parsed.settings(), parsed.given());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(60));
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        // The local default folder ("checkpoints", relative to whichever process) is never given to a cluster.
        assertThat(conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEmpty();
    }

    @Test
    void theClustersOwnSettingsWinOverDefaultsAndTheJobFollowsItsInterval() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(15));
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://ops/checkpoints");
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        cluster.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
        ClusterArguments.Parsed parsed = ClusterArguments.parseWithGiven(new String[] {"--lake", "s3://b/lake", "in/"});

        Configuration conf = FaultTolerance.onCluster(cluster, parsed.settings(), parsed.given());

        assertThat(conf.toMap()).doesNotContainKeys(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(),
                CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), RestartStrategyOptions.RESTART_STRATEGY.key(),
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION.key());
        // The sinks close quiet partitions by the interval the job really runs with.
        assertThat(FaultTolerance.intervalOnCluster(cluster, parsed.settings(), parsed.given()).checkpointInterval())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(parsed.settings().checkpointInterval()).as("the settings given never change").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void argumentsThatNameTheCheckpointsWinOverTheCluster() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(15));
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://ops/checkpoints");
        ClusterArguments.Parsed parsed = ClusterArguments.parseWithGiven(new String[] {
                "--checkpoint-interval", "5", "--checkpoint-dir", "s3://mine/checkpoints", "in/"});
        assertThat(parsed.given()).containsExactlyInAnyOrder("--checkpoint-interval", "--checkpoint-dir");

        Configuration conf = FaultTolerance.onCluster(cluster, parsed.settings(), parsed.given());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(FaultTolerance.intervalOnCluster(cluster, parsed.settings(), parsed.given()).checkpointInterval())
                .isEqualTo(Duration.ofSeconds(5));
        // A URI stays a URI (a java.nio Path would have cut s3:// to s3:/).
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://mine/checkpoints");
    }

    @Test
    void resumeIsRefusedOnAClusterWithWhatToDoInstead() {
        assertThatThrownBy(() -> ClusterArguments.parseWithGiven(new String[] {"--resume", "in/"}))
                .hasMessageContaining("flink run -s");
    }

    @Test
    void anUnboundedJobWithoutCheckpointingIsRefusedABoundedOneIsNot() {
        JobSettings watch = ClusterArguments.parse(new String[] {"--watch", "5", "in/"});
        JobSettings bluesky = ClusterArguments.parse(new String[] {"--bluesky"});
        JobSettings x = ClusterArguments.parse(new String[] {"--x-rule", "a=acme"});
        JobSettings files = ClusterArguments.parse(new String[] {"in/"});

        for (JobSettings unbounded : new JobSettings[] {watch, bluesky, x}) {
            assertThatThrownBy(() -> FaultTolerance.onManagedService(null, unbounded, NOTHING_GIVEN))
                    .hasMessageContaining("checkpointing is off").hasMessageContaining("never write");
        }
        FaultTolerance.onManagedService(null, files, NOTHING_GIVEN);

        assertThat(FaultTolerance.onManagedService(Duration.ofSeconds(90), watch, NOTHING_GIVEN).checkpointInterval())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aLocalRunOwnsItAll() {
        JobSettings settings = ClusterArguments.parse(new String[] {"--checkpoint-dir", "/tmp/cp", "in/"}).toBuilder()
                .resumeFrom("file:/tmp/cp/abc/chk-3").build();
        Configuration conf = FaultTolerance.local(settings);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/cp");
        assertThat(conf.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(2);
        assertThat(conf.toMap()).containsEntry("execution.state-recovery.path", "file:/tmp/cp/abc/chk-3");
    }
}
