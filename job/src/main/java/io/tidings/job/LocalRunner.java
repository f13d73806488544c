package io.tidings.job;

import io.tidings.operators.JobCounters;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import io.tidings.records.Post;

/**
 * Runs the job in this JVM on a Flink MiniCluster, the embedded default: checkpoints to a local
 * folder (kept when the process dies, so {@code --resume} can continue), restarts on failure,
 * and reports progress and a summary from the operators' counters.
 */
public final class LocalRunner {
    private final JobSettings settings;
    private final PrintStream progress;

    /** @param progress where progress lines go (stderr for the launcher), or null for none */
    public LocalRunner(JobSettings settings, PrintStream progress) {
        this.settings = settings.validate();
        this.progress = progress;
    }

    /** What a finished run did. */
    public record Summary(long records, long posts, long duplicates, long deadLetters, long skipped, long scored,
            Duration took) {
        public long written() {
            return posts - duplicates;
        }

        public double postsPerSecond() {
            return took.toMillis() == 0 ? 0 : written() * 1000.0 / took.toMillis();
        }

        @Override
        public String toString() {
            return String.format("%,d records → %,d posts written (%,d scored), %,d duplicates, %,d dead letters,"
                            + " %,d skipped in %.1f s (%.0f posts/s)",
                    records, written(), scored, duplicates, deadLetters, skipped, took.toMillis() / 1000.0,
                    postsPerSecond());
        }

        static Summary of(Map<String, Object> counters, Duration took) {
            return new Summary(count(counters, JobCounters.RECORDS), count(counters, JobCounters.POSTS),
                    count(counters, JobCounters.DUPLICATES), count(counters, JobCounters.DEAD_LETTERS),
                    count(counters, JobCounters.SKIPPED), count(counters, JobCounters.SCORED), took);
        }

        private static long count(Map<String, Object> counters, String name) {
            Object value = counters.get(name);
            return value instanceof Number n ? n.longValue() : 0;
        }
    }

    /** The Flink configuration of a local run. */
    public Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Path.of(settings.checkpointDir).toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        if (settings.resumeFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, settings.resumeFrom);
        }
        return conf;
    }

    public Summary run() throws Exception {
        return run(UnaryOperator.identity());
    }

    /** Runs the job until it ends (bounded input) and returns what it did. */
    Summary run(UnaryOperator<DataStream<Post>> beforeEnrich) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism, configuration());
        TidingsJob.build(env, settings, beforeEnrich);
        long started = System.nanoTime();
        JobClient job = env.executeAsync("tidings");
        JobExecutionResult result = awaitWithProgress(job, started);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return Summary.of(result.getAllAccumulatorResults(), took);
    }

    private JobExecutionResult awaitWithProgress(JobClient job, long started) throws Exception {
        var done = job.getJobExecutionResult();
        while (true) {
            try {
                return done.get(3, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                reportProgress(job, started);
            } catch (ExecutionException failed) {
                throw failed.getCause() instanceof Exception e ? e : failed;
            }
        }
    }

    private void reportProgress(JobClient job, long started) {
        if (progress == null) {
            return;
        }
        try {
            Map<String, Object> counters = job.getAccumulators().get(2, TimeUnit.SECONDS);
            Summary sofar = Summary.of(counters, Duration.ofNanos(System.nanoTime() - started));
            progress.printf("  … %,d records read, %,d posts, %,d dead letters (%.0f s)%n",
                    sofar.records(), sofar.posts(), sofar.deadLetters(), sofar.took().toMillis() / 1000.0);
        } catch (Exception notYet) {
            // Counters are not available before the tasks run; the next tick will tell.
        }
    }

    /**
     * The newest complete checkpoint under {@code checkpointDir} (a {@code chk-N} folder with its
     * {@code _metadata}), from any earlier run.
     */
    public static Optional<Path> latestCheckpoint(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(checkpointDir, 3, (p, attrs) -> p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparingLong(LocalRunner::modified)).map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
