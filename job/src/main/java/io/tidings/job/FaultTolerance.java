package io.tidings.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run checkpoints, keeps its checkpoints and restarts: one set-up for the three places the
 * job runs, each with its own owner of these settings.
 *
 * <ul>
 *   <li><b>Local</b> ({@link LocalRunner}): tidings owns all of it: a checkpoint every {@code
 *       --checkpoint-interval} into {@code --checkpoint-dir}, the last two kept when the job is
 *       cancelled or killed (for {@code --resume}), up to ten restarts a second apart.
 *   <li><b>A Flink cluster</b> ({@link TidingsJob#main}): the job's arguments win where they are
 *       given; where they are not, the cluster's own configuration (its {@code config.yaml}, {@code
 *       -D} options) decides; where neither says anything, the local defaults apply, so a job
 *       submitted to a bare cluster still checkpoints every minute and keeps its checkpoints.
 *   <li><b>Managed Flink</b> ({@code ManagedFlinkJob}): the service owns checkpointing, restarts
 *       and checkpoint storage (set through its API; code cannot change them), so nothing is set,
 *       only checked.
 * </ul>
 *
 * Everywhere, an unbounded job (X, Bluesky, Mastodon, {@code --watch}) without checkpointing is refused
 * before it starts: its Parquet files are committed on checkpoints, so it would never write one.
 */
public final class FaultTolerance {
    private static final Logger LOG = LoggerFactory.getLogger(FaultTolerance.class);

    /** Checkpoints kept at once (a newer one may be unreadable after a kill mid-write; --resume then takes the older). */
    static final int RETAINED_CHECKPOINTS = 2;
    static final int RESTART_ATTEMPTS = 10;
    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    /** The option names of {@code --checkpoint-dir} and {@code --checkpoint-interval}, as {@code given} holds them. */
    public static final String CHECKPOINT_DIR_OPTION = "--checkpoint-dir";
    public static final String CHECKPOINT_INTERVAL_OPTION = "--checkpoint-interval";

    private FaultTolerance() {}

    /** The whole configuration of a local run: checkpoints, retention, restarts, and the checkpoint {@code --resume} chose. */
    static Configuration local(JobSettings settings) {
        Configuration conf = new Configuration();
        checkpointInto(conf, Path.of(settings.checkpointDir()).toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, RETAINED_CHECKPOINTS);
        fixedDelayRestarts(conf);
        if (settings.resumeFrom() != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, settings.resumeFrom());
        }
        if (settings.jobId() != null) {
            // Read by the local executor when it makes the job graph (PipelineExecutorUtils).
            conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, settings.jobId());
        }
        return conf;
    }

    /**
     * What the job sets on a Flink cluster, given the cluster's configuration and which of the
     * checkpoint options its arguments named ({@link #CHECKPOINT_DIR_OPTION}, {@link
     * #CHECKPOINT_INTERVAL_OPTION}). The job runs with the interval {@link #intervalOnCluster} settles.
     */
    public static Configuration onCluster(ReadableConfig cluster, JobSettings settings, Set<String> given) {
        Configuration conf = new Configuration();
        if (argumentsSetTheInterval(cluster, given)) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        }
        if (given.contains(CHECKPOINT_DIR_OPTION)) {
            checkpointInto(conf, settings.checkpointDir());
        } else if (cluster.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            // Held by the JobManager: a TaskManager's loss is recovered, the JobManager's is not.
            LOG.warn("no checkpoint folder: neither --checkpoint-dir nor the cluster's {} is set, so checkpoints live in the"
                    + " JobManager's memory and a JobManager restart starts the job from nothing",
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key());
        }
        if (cluster.getOptional(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).isEmpty()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        }
        if (cluster.getOptional(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION).isEmpty()) {
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (cluster.getOptional(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS).isEmpty()) {
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, RETAINED_CHECKPOINTS);
        }
        if (cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
            fixedDelayRestarts(conf);
        }
        return conf;
    }

    /** Whether the job's own interval applies on a cluster: its arguments named one, or the cluster sets none. */
    private static boolean argumentsSetTheInterval(ReadableConfig cluster, Set<String> given) {
        return given.contains(CHECKPOINT_INTERVAL_OPTION) || cluster.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty();
    }

    /**
     * The settings with the checkpoint interval the job runs with on a cluster (the sinks close
     * quiet partitions by it): the arguments' when they name it or the cluster sets none, else the
     * cluster's ({@link #onCluster}).
     */
    public static JobSettings intervalOnCluster(ReadableConfig cluster, JobSettings settings, Set<String> given) {
        if (argumentsSetTheInterval(cluster, given)) {
            return settings;
        }
        return settings.toBuilder().checkpointInterval(cluster.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).build();
    }

    /**
     * Checks the service's settings on Managed Flink; returns them with the service's checkpoint
     * interval, which the job runs with (the sinks close quiet partitions by it).
     * @param checkpointInterval the interval the service configured, or null when checkpointing is off
     * @param given the checkpoint options the application's properties named (ignored there: said in the log)
     */
    public static JobSettings onManagedService(Duration checkpointInterval, JobSettings settings, Set<String> given) {
        if (given.contains(CHECKPOINT_DIR_OPTION) || given.contains(CHECKPOINT_INTERVAL_OPTION)) {
            LOG.warn("Managed Flink owns checkpointing: the application's checkpoint-dir and checkpoint-interval properties"
                    + " are ignored (set CheckpointConfiguration on the application instead)");
        }
        requireCheckpointsForUnbounded(checkpointInterval, settings);
        return checkpointInterval == null ? settings : settings.toBuilder().checkpointInterval(checkpointInterval).build();
    }

    /**
     * Refuses an unbounded job whose checkpointing is off.
     * @param checkpointInterval the interval the job will run with, or null when checkpointing is off
     */
    public static void requireCheckpointsForUnbounded(Duration checkpointInterval, JobSettings settings) {
        boolean checkpointing = checkpointInterval != null && !checkpointInterval.isZero() && !checkpointInterval.isNegative();
        if (!checkpointing && isUnbounded(settings)) {
            throw new IllegalArgumentException("this job never ends (" + unboundedSources(settings) + ") and checkpointing is off:"
                    + " its Parquet files are committed on checkpoints, so it would never write one. Turn checkpointing on"
                    + " (on Managed Flink: the application's CheckpointConfiguration, ConfigurationType DEFAULT)");
        }
    }

    /** Whether the job reads until stopped: a live source or watched folders. */
    static boolean isUnbounded(JobSettings settings) {
        return settings.followsLiveSources() || settings.watchInterval() != null;
    }

    private static String unboundedSources(JobSettings settings) {
        var sources = new java.util.ArrayList<String>();
        if (!settings.xRules().isEmpty()) {
            sources.add("X rules");
        }
        if (settings.bluesky()) {
            sources.add("Bluesky");
        }
        if (settings.mastodonServer() != null) {
            sources.add("Mastodon");
        }
        if (settings.watchInterval() != null) {
            sources.add("watched folders");
        }
        return String.join(", ", sources);
    }

    private static void checkpointInto(Configuration conf, String directoryUri) {
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directoryUri);
    }

    private static void fixedDelayRestarts(Configuration conf) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, RESTART_DELAY);
    }
}
