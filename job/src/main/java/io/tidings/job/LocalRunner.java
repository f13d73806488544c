package io.tidings.job;

import io.tidings.job.progress.ProgressLine;
import io.tidings.job.progress.SourceStatusReporter;
import io.tidings.operators.JobCounters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tidings.records.Post;

/**
 * Runs the job in this JVM on a Flink MiniCluster, the embedded default: checkpoints to a local
 * folder (kept when the process dies, so {@code --resume} can continue), restarts on failure,
 * and reports progress and a summary from the operators' counters.
 *
 * <p>An {@code s3://} lake goes through Flink's {@code flink-s3-fs-hadoop} loaded as a plugin from
 * {@code FLINK_PLUGINS_DIR} (a MiniCluster does not load plugins by itself), with the endpoint and
 * path style from the settings and credentials from the environment.
 */
public final class LocalRunner {
    /** Flink's S3 file system settings (read by the flink-s3-fs-hadoop plugin). */
    static final ConfigOption<String> S3_ENDPOINT = ConfigOptions.key("s3.endpoint").stringType().noDefaultValue();
    static final ConfigOption<Boolean> S3_PATH_STYLE = ConfigOptions.key("s3.path.style.access").booleanType().defaultValue(false);
    static final ConfigOption<String> S3_ACCESS_KEY = ConfigOptions.key("s3.access-key").stringType().noDefaultValue();
    static final ConfigOption<String> S3_SECRET_KEY = ConfigOptions.key("s3.secret-key").stringType().noDefaultValue();
    /** Without it each commit deletes directory markers: slow on real S3, a ~40 s stall on S3Proxy's filesystem store. */
    static final ConfigOption<String> S3_MARKER_RETENTION =
            ConfigOptions.key("s3.directory.marker.retention").stringType().noDefaultValue();

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);

    private final JobSettings settings;
    private final PrintStream progress;
    private final Map<String, String> environment;
    /** Whether {@link #stop} was called. */
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** When the user started this run (the launcher: when its JVM started), epoch ms; start-up is counted from it. */
    private long launchedAt = System.currentTimeMillis();
    /** Runs once the job's graph is built (every setting checked), before it is submitted. */
    private Runnable whenBuilt = () -> {};
    /** The counters the progress line last showed: a cancelled job's summary has only these. */
    private volatile Map<String, Object> lastCounters = Map.of();
    /** How long a stop keeps asking a starting job for a savepoint before it cancels the job. */
    static final Duration STOP_TRIES_FOR = Duration.ofSeconds(60);

    /** @param progress where progress lines go (stderr for the launcher), or null for none */
    public LocalRunner(JobSettings settings, PrintStream progress) {
        this(settings, progress, System.getenv());
    }

    /** @param environment where S3 credentials come from ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) */
    LocalRunner(JobSettings settings, PrintStream progress, Map<String, String> environment) {
        this.settings = settings;
        this.progress = progress;
        this.environment = environment;
    }

    /** {@code action} runs once the job is built (its sources and settings accepted), before it starts. */
    public LocalRunner whenBuilt(Runnable action) {
        this.whenBuilt = action;
        return this;
    }

    /** When this JVM started, epoch ms: for a launcher command, the moment the user pressed enter. */
    public static long jvmStart() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * Counts the summary's start-up time from {@code epochMillis} instead of from this runner's
     * creation: the launcher passes its JVM's start, the moment the user pressed enter.
     */
    public LocalRunner launchedAt(long epochMillis) {
        this.launchedAt = epochMillis;
        return this;
    }

    /** How many kinds of skipped record the summary names; the log has them all. */
    static final int SKIPPED_KINDS_SHOWN = 4;

    /**
     * What a finished run did. {@code posts} counts the posts the sources' records became, {@code
     * written} those handed to the lake's posts sink; a run stopped mid-way keeps the posts in
     * flight in its savepoint, for {@code --resume}. {@code startUp}: from launch to the first post
     * written (null when none was).
     */
    public record Summary(long records, long posts, long written, long duplicates, long deadLetters, long skipped,
            long deletions, long scored, Duration took, boolean stopped, Map<String, Long> skippedKinds,
            Duration startUp) {
        public double postsPerSecond() {
            return took.toMillis() == 0 ? 0 : written * 1000.0 / took.toMillis();
        }

        @Override
        public String toString() {
            return String.format("%s%,d records → %,d posts written (%,d scored), %,d duplicates, %,d dead letters,"
                            + " %,d skipped, %,d deletions in %.1f s (%.0f posts/s)", stopped ? "stopped: " : "",
                    records, written, scored, duplicates, deadLetters, skipped, deletions, took.toMillis() / 1000.0,
                    postsPerSecond()) + (stopped ? "; posts still in flight are kept in the savepoint for --resume" : "")
                    + (startUp == null ? "" : String.format("; first post written %.1f s after launch", startUp.toMillis() / 1000.0))
                    + skippedByKind();
        }

        /** {@code "; skipped: 3 X compliance tweet_edit, 1 Bluesky 'identity' event"}, the most frequent first. */
        String skippedByKind() {
            if (skippedKinds.isEmpty()) {
                return "";
            }
            List<Map.Entry<String, Long>> kinds = new ArrayList<>(skippedKinds.entrySet());
            kinds.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            StringBuilder out = new StringBuilder("; skipped: ");
            for (int i = 0; i < Math.min(SKIPPED_KINDS_SHOWN, kinds.size()); i++) {
                out.append(i == 0 ? "" : ", ").append(String.format("%,d %s", kinds.get(i).getValue(), kinds.get(i).getKey()));
            }
            if (kinds.size() > SKIPPED_KINDS_SHOWN) {
                long rest = kinds.subList(SKIPPED_KINDS_SHOWN, kinds.size()).stream().mapToLong(Map.Entry::getValue).sum();
                out.append(String.format(", %,d of %d more kinds", rest, kinds.size() - SKIPPED_KINDS_SHOWN));
            }
            return out.append(" (every kind's count and one reason of each in the log)").toString();
        }

        static Summary of(Map<String, Object> counters, Duration took, boolean stopped, long launchedAt) {
            Object firstWritten = counters.get(JobCounters.FIRST_WRITTEN_AT);
            // LongMinimum starts at Long.MAX_VALUE: no post written yet.
            Duration startUp = firstWritten instanceof Long at && at != Long.MAX_VALUE ? Duration.ofMillis(Math.max(0, at - launchedAt))
                    : null;
            return new Summary(count(counters, JobCounters.RECORDS), count(counters, JobCounters.POSTS),
                    count(counters, JobCounters.WRITTEN), count(counters, JobCounters.DUPLICATES), count(counters, JobCounters.DEAD_LETTERS),
                    count(counters, JobCounters.SKIPPED), count(counters, JobCounters.DELETIONS),
                    count(counters, JobCounters.SCORED), took, stopped, kinds(counters.get(JobCounters.SKIPPED_KINDS)),
                    startUp);
        }

        private static Map<String, Long> kinds(Object value) {
            Map<String, Long> kinds = new TreeMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((kind, count) -> {
                    if (kind instanceof String k && count instanceof Number n) {
                        kinds.put(k, n.longValue());
                    }
                });
            }
            return kinds;
        }

        private static long count(Map<String, Object> counters, String name) {
            Object value = counters.get(name);
            return value instanceof Number n ? n.longValue() : 0;
        }
    }

    /** The Flink configuration of a local run ({@link FaultTolerance#local}). */
    public Configuration configuration() {
        return FaultTolerance.local(settings);
    }

    /**
     * The file systems' configuration: the job's plus the S3 settings. Kept apart from {@link
     * #configuration()} so credentials never reach the job's configuration (which Flink logs).
     */
    Configuration fileSystemConfiguration() {
        Configuration conf = new Configuration(configuration());
        if (settings.s3Endpoint() != null && !settings.s3Endpoint().isBlank()) {
            conf.set(S3_ENDPOINT, settings.s3Endpoint());
        }
        conf.set(S3_PATH_STYLE, settings.s3PathStyle());
        conf.set(S3_MARKER_RETENTION, "keep");
        String accessKey = environment.get("AWS_ACCESS_KEY_ID");
        String secretKey = environment.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank()) {
            conf.set(S3_ACCESS_KEY, accessKey);
            conf.set(S3_SECRET_KEY, secretKey);
        }
        return conf;
    }

    /**
     * Makes Flink's file systems, plugins included, available in this JVM with this run's settings.
     * A lake or input on {@code s3://} needs the S3 plugin under {@code FLINK_PLUGINS_DIR}.
     */
    public void initializeFileSystems() throws IOException {
        Configuration conf = fileSystemConfiguration();
        boolean wantsS3 = settings.lake().startsWith("s3://") || settings.lake().startsWith("s3a://")
                || settings.files().stream().anyMatch(f -> f.startsWith("s3://") || f.startsWith("s3a://"));
        if (wantsS3 && !hasS3Plugin(PluginConfig.getPluginsDir().map(java.io.File::toPath))) {
            throw new IllegalArgumentException("an s3:// lake needs Flink's S3 plugin: set FLINK_PLUGINS_DIR to a folder"
                    + " holding s3-fs-hadoop/flink-s3-fs-hadoop-*.jar (mvn package puts one in job/target/plugins;"
                    + " bin/tidings sets it)");
        }
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
    }

    private static boolean hasS3Plugin(Optional<Path> pluginsDir) {
        if (pluginsDir.isEmpty() || !Files.isDirectory(pluginsDir.get())) {
            return false;
        }
        try (Stream<Path> jars = Files.find(pluginsDir.get(), 2,
                (p, attrs) -> p.getFileName().toString().matches("flink-s3-fs-hadoop-.*\\.jar"))) {
            return jars.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    public Summary run() throws Exception {
        return run(UnaryOperator.identity());
    }

    /**
     * Runs the job until it ends (bounded input) or {@link #stop} is called, and returns what it
     * did. A stop takes a savepoint and ends the job there ({@link JobClient#stopWithSavepoint}):
     * the posts that reached the sinks are committed to the lake, those still in flight are kept in
     * the savepoint, and {@code --resume} continues from it.
     */
    Summary run(UnaryOperator<DataStream<Post>> beforeEnrich) throws Exception {
        long started = System.nanoTime();
        JobClient job = start(beforeEnrich);
        try {
            JobExecutionResult result = awaitWithProgress(job, started);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Summary summary = Summary.of(result == null ? lastCounters : result.getAllAccumulatorResults(), took, stopped.get(),
                    launchedAt);
            if (result != null && !stopped.get()) {
                // Ended by itself: its checkpoints are gone, and an older one must not be resumed.
                RetainedCheckpoints.markFinished(Path.of(settings.checkpointDir()), job.getJobID().toString());
            }
            if (!summary.skippedKinds().isEmpty()) {
                LOG.info("skipped records by kind: {}", summary.skippedKinds());
            }
            return summary;
        } finally {
            SourceStatusReporter.forget(job.getJobID().toString());
        }
    }

    /**
     * Asks a running {@link #run} to end cleanly (Ctrl-C, SIGTERM): the job stops with a savepoint
     * under the checkpoint folder and {@code run} returns its summary. Safe from any thread, once or more.
     */
    public void stop() {
        stopped.set(true);
    }

    /**
     * Starts the job and returns at once, for an unbounded run (X, Bluesky, Mastodon) that the caller ends
     * with {@link JobClient#cancel()}; the local cluster goes when the job does.
     */
    JobClient start(UnaryOperator<DataStream<Post>> beforeEnrich) throws Exception {
        // The model and the language models load while the local cluster starts (ModelWarmUp).
        ModelWarmUp warmUp = ModelWarmUp.start(settings.enrichment());
        try {
            JobClient job = startJob(beforeEnrich);
            job.getJobExecutionResult().whenComplete((result, failure) -> warmUp.close());
            return job;
        } catch (Exception | Error e) {
            warmUp.close();
            throw e;
        }
    }

    private JobClient startJob(UnaryOperator<DataStream<Post>> beforeEnrich) throws Exception {
        initializeFileSystems();
        Configuration conf = configuration();
        SourceStatusReporter.configure(conf);
        // Counters reach the progress line with the TaskManager's heartbeats: every second, not every ten.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), conf);
        if (settings.rescore() != null) {
            RescoreJob.build(env, settings);
        } else {
            TidingsJob.build(env, settings, beforeEnrich);
        }
        whenBuilt.run();
        LeftoverPartFiles lake = holdLocalLake();
        try {
            JobClient job = env.executeAsync(settings.rescore() != null ? "tidings rescore" : "tidings");
            job.getJobExecutionResult().whenComplete((result, failure) -> lake.close());
            return job;
        } catch (Exception | Error e) {
            lake.close();
            throw e;
        }
    }

    /**
     * A local lake is held while the job runs, after removing the in-progress files killed runs
     * left in it ({@link LeftoverPartFiles}); an S3 lake has none (parts are multipart uploads).
     */
    private LeftoverPartFiles holdLocalLake() {
        if (settings.lake().contains("://") && !settings.lake().startsWith("file:")) {
            return LeftoverPartFiles.none();
        }
        Path lake = settings.lake().startsWith("file:") ? Path.of(java.net.URI.create(settings.lake())) : Path.of(settings.lake());
        LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, Path.of(settings.checkpointDir()));
        if (progress != null && !held.removed().isEmpty()) {
            progress.printf("  removed %,d in-progress part files that killed runs left in the lake"
                    + " (no retained checkpoint refers to them)%n", held.removed().size());
        }
        if (progress != null && held.leftAlone() != null) {
            progress.printf("  left the lake's in-progress part files alone: %s%n", held.leftAlone());
        }
        return held;
    }

    /**
     * Waits for the job, reporting progress, and stops it when asked ({@link #stop}).
     * @return the job's result, or null when a stop had to cancel it (no savepoint could be taken)
     */
    private JobExecutionResult awaitWithProgress(JobClient job, long started) throws Exception {
        var done = job.getJobExecutionResult();
        ProgressLine line = progress == null ? null : new ProgressLine(progress, System.console() != null);
        Stopping stopping = null;
        try {
            while (true) {
                try {
                    return done.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    if (stopped.get()) {
                        stopping = stopping == null ? new Stopping(job, line) : stopping;
                        stopping.tick();
                    }
                    if (line != null) {
                        report(job, started, line, stopping != null);
                    }
                } catch (ExecutionException failed) {
                    if (stopping != null && stopping.cancelled) {
                        return null;
                    }
                    throw failed.getCause() instanceof Exception e ? e : failed;
                }
            }
        } finally {
            if (line != null) {
                line.end();
            }
        }
    }

    /**
     * A stop under way: the job ends at a savepoint in the run's own checkpoint folder (where
     * {@code --resume} finds it, {@link RetainedCheckpoints}). A stop asked for while the job is
     * still starting is asked again each second until its tasks run (Flink takes no savepoint
     * before); when none can be taken within {@link #STOP_TRIES_FOR}, the job is cancelled and its
     * last retained checkpoint, if any, is where {@code --resume} continues.
     */
    private final class Stopping {
        private final JobClient job;
        private final ProgressLine line;
        private final long since = System.nanoTime();
        private CompletableFuture<String> savepoint;
        boolean cancelled;

        Stopping(JobClient job, ProgressLine line) {
            this.job = job;
            this.line = line;
            say("stopping: taking a savepoint (what was read is committed or kept in it for --resume)");
        }

        void tick() {
            if (cancelled || (savepoint != null && !savepoint.isCompletedExceptionally())) {
                return;
            }
            if (savepoint != null && System.nanoTime() - since > STOP_TRIES_FOR.toNanos()) {
                String why = savepoint.handle((ok, failure) -> failure == null ? "" : failure.getMessage()).join();
                say("no savepoint (" + why + "): cancelling; --resume continues from the last checkpoint, if any");
                cancelled = true;
                job.cancel();
                return;
            }
            String folder = Path.of(settings.checkpointDir()).toAbsolutePath().resolve(job.getJobID().toString()).toUri().toString();
            savepoint = job.stopWithSavepoint(false, folder, SavepointFormatType.CANONICAL);
        }

        private void say(String message) {
            if (line != null) {
                line.say(message);
            }
        }
    }

    private void report(JobClient job, long started, ProgressLine line, boolean stopping) {
        try {
            Map<String, Object> counters = job.getAccumulators().get(2, TimeUnit.SECONDS);
            lastCounters = counters;
            Summary sofar = Summary.of(counters, Duration.ofNanos(System.nanoTime() - started), stopping, launchedAt);
            line.update(sofar.records(), sofar.posts() - sofar.duplicates(), sofar.deadLetters(), SourceStatusReporter.of(job.getJobID().toString()),
                    sofar.took().toSeconds());
        } catch (Exception notYet) {
            // Counters are not available before the tasks run; the next tick will tell.
        }
    }
}
