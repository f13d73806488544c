package io.tidings.job.cli;

import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import io.tidings.job.RescoreJob;
import io.tidings.job.RetainedCheckpoints;
import io.tidings.job.rescore.RescoreLock;
import io.tidings.job.rescore.RescoreRun;
import io.tidings.job.rescore.RescoreSettings;
import io.tidings.models.ModelLocation;
import io.tidings.models.SharedModels;
import io.tidings.models.TweetModel;
import io.tidings.operators.enrich.EnrichmentSettings;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidings rescore --model M}: scores the lake's posts again with another model, a bounded
 * run over the lake's own Parquet files ({@link RescoreJob}), with progress and a summary line as
 * {@code import} has, and the same exit codes.
 */
@Command(name = "rescore", mixinStandardHelpOptions = true,
        description = "Score the lake's posts again with another model (a bounded run over the lake's own files): each"
                + " post's shown version gets a new row with the model's answers (model_version, scored_at), which the"
                + " views show from the moment its files are committed; old rows are never deleted. Posts already shown"
                + " with this model's version are left alone. Exactly once, and --resume continues a killed run.")
public class RescoreCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR|URI", description = "Lake root (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:TIDINGS_LAKE:-lake}")
    String lake;

    @Option(names = "--model", paramLabel = "LOCATION",
            description = "The new model: classpath:NAME (bundled), a directory, or s3://bucket/prefix; its config.json's"
                    + " name@version is what the new rows' model_version says. Required, except with --resume, which"
                    + " goes on with the model of the run it continues.")
    String model;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day (UTC, the dt partition) to rescore"
            + " (default: the first; with --resume: the run's own).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day to rescore, included (default: the last;"
            + " with --resume: the run's own).")
    String to;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where the rescore's checkpoints are kept for --resume; apart from an import's, whose job"
                    + " is another (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:TIDINGS_RESCORE_CHECKPOINTS:-checkpoints-rescore}")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between checkpoints; each commits the rows scored since the last (default: ${DEFAULT-VALUE}).")
    long checkpointSeconds;

    @Option(names = "--resume", description = "Continue from the newest checkpoint under --checkpoint-dir (after a crash or"
            + " kill), with the model and days that run was started with; a --model, --from, --to or --lake that differs"
            + " from them is refused.")
    boolean resume;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2", description = "Parallel subtasks per operator (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--model-threads", defaultValue = "1", description = "ONNX Runtime threads per model call (default: ${DEFAULT-VALUE}).")
    int modelThreads;

    @Option(names = "--model-workers", defaultValue = "2", description = "Model calls running at once in this JVM (default: ${DEFAULT-VALUE}).")
    int modelWorkers;

    @Option(names = "--batch-size", defaultValue = "" + TweetModel.DEFAULT_BATCH_SIZE,
            description = "Posts per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for an s3:// lake;"
            + " credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (default: AWS S3).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", description = "Path-style S3 requests (http://host/bucket/key).")
    boolean s3PathStyle;

    @Option(names = "--glue-database", paramLabel = "NAME",
            description = "Register the partitions the new rows go to in this Glue database once committed, as import does.")
    String glueDatabase;

    @Option(names = "--glue-region", paramLabel = "REGION", description = "AWS region of the Glue catalog.")
    String glueRegion;

    @Option(names = "--glue-endpoint", paramLabel = "URL", description = "Glue endpoint (a local emulator; default: AWS).")
    String glueEndpoint;

    @Override
    public Integer call() throws Exception {
        StopSignals signals = StopSignals.install();
        LocalDate first = day("--from", from);
        LocalDate last = day("--to", to);
        if (first != null && last != null && last.isBefore(first)) {
            throw new IllegalArgumentException("--to " + last + " is before --from " + first);
        }
        if (model == null && !resume) {
            throw new IllegalArgumentException("--model is required (only --resume goes on with the model of the run it continues)");
        }
        // This run's checkpoints go to CHECKPOINT-DIR/JOB-ID, beside the record of what it was started with.
        String jobId = JobID.generate().toHexString();
        JobSettings.Builder settings = JobSettings.builder()
                .lake(lake)
                .s3Endpoint(s3Endpoint)
                .s3PathStyle(s3PathStyle)
                .checkpointDir(checkpointDir)
                .checkpointInterval(Duration.ofSeconds(checkpointSeconds))
                .parallelism(parallelism)
                .glueDatabase(glueDatabase)
                .glueRegion(glueRegion)
                .glueEndpoint(glueEndpoint)
                .jobId(jobId);
        RetainedCheckpoints.Checkpoint resumedFrom = resume ? JobOptions.resume(checkpointDir, settings) : null;
        RescoreRun continued = resumedFrom == null ? null : continued(resumedFrom, first, last);
        String location = model != null ? model : continued.modelLocation();
        settings.enrichment(new EnrichmentSettings(location, modelThreads, modelWorkers, batchSize, 20));

        // The model is loaded here, before the cluster starts: its version decides which rows are left
        // alone, and a bad location is said at once. The job's operators share this load (SharedModels).
        SharedModels.Lease lease;
        ModelLocation parsed;
        try {
            parsed = ModelLocation.parse(location);
            lease = SharedModels.acquire(parsed, modelThreads, batchSize);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--model " + location + ": " + e.getMessage(), e);
        }
        try (lease) {
            String version = lease.model().config().nameAndVersion();
            Set<String> modelSignals = lease.model().config().signals().keySet();
            if (continued != null && !continued.sameModel(version)) {
                throw new IllegalArgumentException(model != null
                        ? "--resume: --model " + model + " is " + version + ", but run " + resumedFrom.job() + " rescores with "
                                + continued.modelVersion() + " (" + continued.modelLocation() + "): leave --model out to go on"
                                + " with it, or rescore without --resume"
                        : "--resume: run " + resumedFrom.job() + " rescores with " + continued.modelVersion() + ", but "
                                + continued.modelLocation() + " now holds " + version + ": rescore without --resume");
            }
            // The days are listed on the lake's file system, which is set up before they are known:
            // with a rescore of no day, which only the listing's runner sees.
            new LocalRunner(settings.rescore(new RescoreSettings(List.of(), 0, version)).build(), null).initializeFileSystems();
            RescoreRun run;
            if (continued != null) {
                // The restored file source reads the files its checkpoint lists: these days, whatever is in the lake now.
                run = continued;
            } else {
                List<String> days;
                try {
                    days = RescoreJob.dayFolders(lake, first, last);
                } catch (NoSuchFileException e) {
                    System.err.println("tidings: no posts at " + e.getFile() + ": nothing to rescore");
                    return ExitCodes.NO_INPUT;
                }
                if (days.isEmpty()) {
                    System.err.println("tidings: no day of posts in " + lake + between(first, last) + ": nothing to rescore");
                    return ExitCodes.NO_INPUT;
                }
                String recordedLocation = parsed.scheme() == ModelLocation.Scheme.PATH ? parsed.resolve().toString() : parsed.toString();
                run = RescoreRun.of(RescoreJob.lakeUri(lake), recordedLocation, version, first, last, days);
            }
            List<String> days = run.postFolders();
            // Held until the run ends: another rescore of this lake is refused meanwhile (RescoreLock).
            try (RescoreLock lock = RescoreLock.acquire(RescoreJob.lakeUri(lake))) {
                LocalRunner runner = new LocalRunner(settings.rescore(new RescoreSettings(days, days.size(), version, modelSignals)).build(),
                        System.err).launchedAt(LocalRunner.jvmStart());
                runner.whenBuilt(() -> {
                    run.writeTo(Path.of(checkpointDir).resolve(jobId));
                    System.err.printf("tidings: rescoring %d days of %s%s with %s (parallelism %d%s)%n",
                            days.size(), lake, between(run.firstDay(), run.lastDay()), version, parallelism,
                            resumedFrom == null ? "" : ", resuming from " + resumedFrom);
                });
                signals.onStop(runner::stop);
                LocalRunner.Summary summary = runner.run();
                TerminalText.println("tidings: " + summary(summary, days.size(), version));
                return ExitCodes.OK;
            }
        }
    }

    /**
     * The record of the run {@code --resume} continues, once the options given agree with it: a
     * {@code --from}, {@code --to} or {@code --lake} of another run is refused (the model is
     * checked once loaded, by its version).
     */
    private RescoreRun continued(RetainedCheckpoints.Checkpoint checkpoint, LocalDate first, LocalDate last) {
        RescoreRun run = RescoreRun.readFrom(checkpoint.dir().getParent()).orElseThrow(() -> new IllegalArgumentException(
                "--resume: " + checkpoint + " has no record of the model and days it rescores (" + RescoreRun.FILE
                        + "): not a rescore's, or one from before tidings kept it; rescore without --resume (posts"
                        + " already shown with the model's version are left alone)"));
        List<String> conflicts = run.conflicts(RescoreJob.lakeUri(lake), first, last);
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + String.join("; ", conflicts) + " (run " + checkpoint.job()
                    + "): leave out what differs to go on with the run's, or rescore without --resume");
        }
        return run;
    }

    /**
     * The summary line: {@code rescored 1,234 posts of 3 days with model name@version in 12.3 s},
     * then what was read and what was left alone.
     */
    static String summary(LocalRunner.Summary s, int days, String version) {
        return String.format("%srescored %,d posts of %,d days with model %s in %.1f s (%,d scored by it; %,d rows read,"
                        + " %,d posts, %,d left alone: already %s, or unscored before and by it)%s",
                s.stopped() ? "stopped: " : "", s.written(), days, version, s.took().toMillis() / 1000.0, s.scored(),
                s.records(), s.posts(), s.skipped(), version,
                s.stopped() ? "; posts not yet rescored are kept in the savepoint for --resume" : "");
    }

    private static String between(LocalDate first, LocalDate last) {
        if (first == null && last == null) {
            return "";
        }
        return " from " + (first == null ? "the first day" : first) + " to " + (last == null ? "the last" : last);
    }

    private static LocalDate day(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " wants a day, YYYY-MM-DD; got " + value);
        }
    }
}
