package io.tidings.job.cli;

import io.tidings.athena.LakeLayout;
import io.tidings.job.FaultTolerance;
import io.tidings.job.JobSettings;
import io.tidings.job.RetainedCheckpoints;
import io.tidings.models.TweetModel;
import io.tidings.operators.enrich.EnrichmentSettings;
import io.tidings.source.x.source.XRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that runs the job shares (a picocli mixin). */
public class JobOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Java properties file of options: keys are the long"
            + " option names without dashes (lake, parallelism, checkpoint-dir, rule=a,b, ...) and inputs=FILE,DIR,...;"
            + " flags on the command line win.")
    Path config;

    @Option(names = "--lake", paramLabel = "DIR|URI", description = "Lake root (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:TIDINGS_LAKE:-lake}")
    String lake;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for an s3:// lake"
            + " (MinIO, S3Proxy, ...); credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (default: AWS S3).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", description = "Path-style S3 requests (http://host/bucket/key), as most"
            + " S3-compatible servers want.")
    boolean s3PathStyle;

    // A string, not a Path: on a cluster it is a URI (s3://bucket/checkpoints), which a Path would cut to s3:/.
    @Option(names = FaultTolerance.CHECKPOINT_DIR_OPTION, paramLabel = "DIR|URI",
            description = "Where checkpoints are kept for --resume (default: ${DEFAULT-VALUE}; on a cluster: the"
                    + " cluster's execution.checkpointing.dir, e.g. s3://bucket/checkpoints).",
            defaultValue = "${env:TIDINGS_CHECKPOINTS:-checkpoints}")
    String checkpointDir;

    @Option(names = FaultTolerance.CHECKPOINT_INTERVAL_OPTION, paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between checkpoints; each commits one Parquet file per partition and subtask"
                    + " (default: ${DEFAULT-VALUE}; on a cluster: the cluster's execution.checkpointing.interval, if set).")
    long checkpointSeconds;

    @Option(names = "--partition", paramLabel = "hour|day",
            description = "How a new lake's tables are partitioned: hour (dt=/hour= folders; for streams) or day (dt= folders;"
                    + " for archives that span months or years: about one file per day instead of one per hour). A lake"
                    + " keeps the layout it was first written with (tidings-lake.json) and later runs follow it"
                    + " (default: the lake's, hour for a new lake).")
    String partition;

    @Option(names = "--glue-database", paramLabel = "NAME",
            description = "Register the lake's new partitions in this AWS Glue Data Catalog database once their files are"
                    + " committed (its tables made by the glue module's create-tables, see glue/README.md); none: no registration.")
    String glueDatabase;

    @Option(names = "--glue-region", paramLabel = "REGION", description = "AWS region of the Glue catalog (default: the AWS default chain).")
    String glueRegion;

    @Option(names = "--glue-endpoint", paramLabel = "URL", description = "Glue endpoint (a local emulator; default: AWS).")
    String glueEndpoint;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2",
            description = "Parallel subtasks per operator (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--resume", description = "Continue from the newest checkpoint under --checkpoint-dir"
            + " (after a crash or kill).")
    boolean resume;

    @Option(names = "--model", paramLabel = "LOCATION", defaultValue = EnrichmentSettings.BUNDLED_MODEL,
            description = "Model: classpath:NAME (bundled), a directory, or s3://bucket/prefix (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--model-threads", defaultValue = "1",
            description = "ONNX Runtime threads per model call (default: ${DEFAULT-VALUE}).")
    int modelThreads;

    @Option(names = "--model-workers", defaultValue = "2",
            description = "Model calls running at once in this JVM (default: ${DEFAULT-VALUE}).")
    int modelWorkers;

    @Option(names = "--batch-size", defaultValue = "" + TweetModel.DEFAULT_BATCH_SIZE,
            description = "Posts per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--rule", paramLabel = "NAME",
            description = "Record NAME in matched_rules of every post read from files (repeatable).")
    List<String> rules = new ArrayList<>();

    @Option(names = "--x-rule", paramLabel = "NAME=RULE",
            description = "Follow the X API v2 filtered stream with this rule, e.g. --x-rule 'acme=(acme OR #acme) lang:en'"
                    + " (repeatable; NAME becomes the rule's tag and the post's matched_rules).")
    List<String> xRules = new ArrayList<>();

    @Option(names = "--x-token", paramLabel = "env:NAME|file:PATH|secretsmanager:ID", defaultValue = "env:X_BEARER_TOKEN",
            description = "Where the X bearer token is: env:NAME, file:PATH or secretsmanager:SECRET-ID-OR-ARN[#JSON-KEY]"
                    + " (AWS Secrets Manager), read on the task manager (default: ${DEFAULT-VALUE}); never pass the token itself.")
    String xToken;

    @Option(names = "--x-api", paramLabel = "URL", description = "X API base URL (default: https://api.x.com).")
    String xApi;

    @Option(names = "--x-poll", description = "Poll recent search instead of streaming (API access levels without streaming).")
    boolean xPoll;

    @Option(names = "--x-compliance",
            description = "Also follow X's post compliance stream (all 4 partitions; Enterprise access only), so that"
                    + " posts deleted on X leave the posts view.")
    boolean xCompliance;

    @Option(names = "--bluesky", description = "Follow Bluesky through Jetstream (free, no account needed).")
    boolean bluesky;

    @Option(names = "--bluesky-keyword", paramLabel = "NAME=TERM,TERM",
            description = "Keep Bluesky posts containing any of the terms (whole words, case-insensitive); NAME goes to"
                    + " matched_rules (repeatable; none: every post).")
    List<String> blueskyKeywords = new ArrayList<>();

    @Option(names = "--bluesky-lang", paramLabel = "CODE", split = ",",
            description = "Keep Bluesky posts in these languages (e.g. en,de).")
    List<String> blueskyLanguages = new ArrayList<>();

    @Option(names = "--bluesky-endpoint", paramLabel = "WSS_URL",
            description = "Jetstream subscribe URL (repeatable, fail-over order; default: the public instances).")
    List<String> blueskyEndpoints = new ArrayList<>();

    @Option(names = "--mastodon", paramLabel = "URL",
            description = "Follow this Mastodon server (https://server) through its streaming API: its federated public"
                    + " timeline, or the one --mastodon-hashtag / --mastodon-list names; gaps after a disconnect or a resume"
                    + " are filled from the server's timeline.")
    String mastodon;

    @Option(names = "--mastodon-hashtag", paramLabel = "NAME", description = "Follow this hashtag on the Mastodon server (no #).")
    String mastodonHashtag;

    @Option(names = "--mastodon-list", paramLabel = "ID", description = "Follow this list of the token's account (needs --mastodon-token).")
    String mastodonList;

    @Option(names = "--mastodon-local", description = "Only the server's own users' statuses (local public or hashtag timeline).")
    boolean mastodonLocal;

    @Option(names = "--mastodon-token", paramLabel = "env:NAME|file:PATH|secretsmanager:ID",
            description = "Where the Mastodon access token is, for servers that want one (and for lists): env:NAME,"
                    + " file:PATH or secretsmanager:SECRET-ID-OR-ARN[#JSON-KEY], read on the task manager; never the token itself.")
    String mastodonToken;

    /** The checkpoint {@code --resume} chose, once {@link #settings} ran. */
    RetainedCheckpoints.Checkpoint resumedFrom;

    /**
     * The settings these options give, reading {@code files}; the command adds its own (e.g. {@code
     * --watch}) before {@link JobSettings.Builder#build()} checks them. What cannot be parsed here (a
     * malformed {@code --x-rule} or {@code --bluesky-keyword}, a model setting out of range, {@code
     * --resume} with no checkpoint) is handed to the builder as a {@link JobSettings.Builder#problem
     * problem}, so {@code build()} lists it with every other problem, naming the flag.
     */
    JobSettings.Builder settings(List<String> files) {
        List<String> problems = new ArrayList<>();
        List<XRule> parsedXRules = new ArrayList<>();
        for (String rule : xRules) {
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.length() - 1) {
                problems.add("--x-rule wants NAME=RULE, e.g. acme=(acme OR #acme) lang:en; got " + rule);
            } else {
                parsedXRules.add(XRule.of(rule.substring(eq + 1).trim(), rule.substring(0, eq).trim()));
            }
        }
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        for (String keyword : blueskyKeywords) {
            int eq = keyword.indexOf('=');
            if (eq <= 0 || eq == keyword.length() - 1) {
                problems.add("--bluesky-keyword wants NAME=TERM,TERM; got " + keyword);
            } else {
                keywords.put(keyword.substring(0, eq).trim(), List.of(keyword.substring(eq + 1).split("\\s*,\\s*")));
            }
        }
        // Checked here, by flag, rather than by EnrichmentSettings, which throws on the first call and
        // knows its fields, not the flags that set them.
        atLeastOne(problems, "--model-threads", modelThreads);
        atLeastOne(problems, "--model-workers", modelWorkers);
        atLeastOne(problems, "--batch-size", batchSize);
        JobSettings.Builder settings = JobSettings.builder()
                .files(files == null ? List.of() : files)
                .lake(lake)
                .s3Endpoint(s3Endpoint)
                .s3PathStyle(s3PathStyle)
                .checkpointDir(checkpointDir)
                .checkpointInterval(Duration.ofSeconds(checkpointSeconds))
                .partition(partition == null ? null : LakeLayout.parse(partition))
                .parallelism(parallelism)
                .glueDatabase(glueDatabase)
                .glueRegion(glueRegion)
                .glueEndpoint(glueEndpoint)
                .enrichment(problems.isEmpty() ? new EnrichmentSettings(model, modelThreads, modelWorkers, batchSize, 20)
                        : EnrichmentSettings.defaults())
                .fileRules(rules)
                .xRules(parsedXRules)
                .xBearerToken(xToken)
                .xApiBase(xApi)
                .xPollOnly(xPoll)
                .xCompliance(xCompliance)
                .bluesky(bluesky)
                .blueskyKeywords(keywords)
                .blueskyLanguages(new LinkedHashSet<>(blueskyLanguages))
                .blueskyEndpoints(blueskyEndpoints)
                .mastodonServer(mastodon)
                .mastodonHashtag(mastodonHashtag)
                .mastodonList(mastodonList)
                .mastodonLocal(mastodonLocal)
                .mastodonToken(mastodonToken);
        problems.forEach(settings::problem);
        if (resume) {
            try {
                resumedFrom = resume(checkpointDir, settings);
            } catch (IllegalArgumentException e) {
                settings.problem(e.getMessage());
            }
        }
        return settings;
    }

    private static void atLeastOne(List<String> problems, String flag, int value) {
        if (value < 1) {
            problems.add(flag + " must be >= 1, got " + value);
        }
    }

    /**
     * {@code --resume}: the newest checkpoint under {@code checkpointDir} that Flink can read, set as
     * the settings' {@code resumeFrom}; none is a usage error.
     */
    static RetainedCheckpoints.Checkpoint resume(String checkpointDir, JobSettings.Builder settings) {
        Path checkpoints = Path.of(checkpointDir);
        RetainedCheckpoints.newestRunFinished(checkpoints).ifPresent(run -> {
            throw new IllegalArgumentException("--resume: the last run under " + checkpointDir + " (" + run.job()
                    + ") read its input to the end at " + run.at() + ": nothing to resume (without --resume a run"
                    + " reads its input from the start)");
        });
        RetainedCheckpoints.Choice choice = RetainedCheckpoints.forResume(checkpoints)
                .orElseThrow(() -> new IllegalArgumentException("--resume: no checkpoint under " + checkpointDir
                        + (RetainedCheckpoints.newestFirst(checkpoints).isEmpty() ? ""
                                : " that Flink can read (each _metadata is cut short)")));
        for (String passedOver : choice.passedOver()) {
            System.err.println("tidings: --resume passes over " + passedOver);
        }
        settings.resumeFrom(choice.checkpoint().dir().toUri().toString());
        return choice.checkpoint();
    }
}
