package io.tidings.job;

import io.tidings.athena.LakeLayout;
import io.tidings.job.rescore.RescoreSettings;
import io.tidings.operators.enrich.EnrichmentSettings;
import io.tidings.source.x.source.XRule;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run of the job is told: where posts come from, where the lake is, and how hard
 * to work. Made by the launcher from flags or a properties file ({@code JobOptions}), on Managed
 * Flink from the application's runtime property groups, and by tests, through {@link #builder()}.
 * The settings are checked together when they are made, every problem listed at once, so a
 * {@code JobSettings} that exists is valid; it never changes after (a changed value is a new
 * object, from {@link #toBuilder()}), and the job reads nothing else.
 *
 * @param files Files or folders of JSON lines (gzip etc. by extension) to read.
 * @param watchInterval When set, the folders are watched for new files at this interval and the job never ends.
 * @param lake Lake root: a local folder or a file system URI such as {@code s3://bucket/prefix}.
 * @param s3Endpoint S3 endpoint for an {@code s3://} lake in local runs (an S3-compatible server such as MinIO or
 *        S3Proxy); null for AWS S3. Credentials never live here: the local runner takes them from the
 *        environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) or the default AWS chain.
 * @param s3PathStyle Path-style S3 requests ({@code http://host/bucket/key}), which most S3-compatible servers want.
 * @param checkpointDir Where checkpoints go: a local folder, or on a cluster a URI ({@link FaultTolerance} says who decides).
 * @param checkpointInterval Checkpoint interval: each checkpoint commits one Parquet file per open partition and subtask.
 * @param partition How the lake's tables are partitioned (by hour for streams, by day for archives that span
 *        years); null: as the lake already is, by hour for a new lake.
 * @param maxOpenPartitions Open Parquet part files per sink subtask at most: beyond this, the least recently written
 *        partitions close their files early (each open writer holds buffers until it closes).
 * @param resumeFrom A checkpoint to resume from, found by the launcher's {@code --resume}; null for a fresh start.
 * @param jobId The Flink job id a local run runs under (hex), or null for a new one: a rescore names its run
 *        before it starts, so that what it was started with lies in the folder its checkpoints go to
 *        ({@code checkpointDir/JOB-ID}, {@link io.tidings.job.rescore.RescoreRun}).
 * @param parallelism Parallel subtasks per operator.
 * @param glueDatabase The AWS Glue Data Catalog database whose tables get the lake's new partitions once their files
 *        are committed; null: no registration (Athena's partition projection needs none).
 * @param glueRegion The Glue catalog's region; null: the AWS default chain.
 * @param glueEndpoint A Glue endpoint (a local emulator); null: AWS.
 * @param dedupTtl How long a post id is remembered for de-duplication.
 * @param enrichment The model and how hard it works: threads, workers, batch size.
 * @param enrichmentTimeout How long a post may wait in the enrichment operator (the model call included) before the job
 *        fails over: a model call that hangs is an error to restart from, not a post to drop.
 * @param enrichmentCapacity Posts in flight in the enrichment operator per subtask: at least what a model worker gathers for one call.
 * @param rescore When set, this run is a rescore of the lake's own posts ({@link RescoreJob}) instead of a
 *        run over sources; none of the source settings then applies.
 * @param fileRules Rules/terms recorded on every post from the files (e.g. a label for an import).
 * @param xRules X API v2 filtered stream rules ({@code value} and {@code tag}); empty: no X source.
 * @param xBearerToken Where the X bearer token is: {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID}; never the token itself.
 * @param xApiBase X API base URL (a test server, a proxy); null for the real API.
 * @param xPollOnly Recent search polling instead of the stream, for API access levels without streaming.
 * @param xCompliance Also follow X's post compliance stream (Enterprise access), so that posts deleted on X become tombstones.
 * @param bluesky Follow Bluesky through Jetstream.
 * @param blueskyKeywords Bluesky keyword filters: name → terms (any term matches), in the order given; empty: every post.
 * @param blueskyLanguages Bluesky languages to keep (record {@code langs}); empty: all.
 * @param blueskyEndpoints Jetstream endpoints, in fail-over order; empty: the public instances.
 * @param mastodonServer The Mastodon server to follow, {@code https://server}; null: no Mastodon source.
 * @param mastodonHashtag Follow this hashtag on the server; null (and no list): its public timeline.
 * @param mastodonList Follow this list (an id; lists belong to the token's account); null: no list.
 * @param mastodonLocal Only the server's own users' statuses (the local public or hashtag timeline).
 * @param mastodonToken Where the Mastodon access token is: {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID}; null: none.
 */
public record JobSettings(
        List<String> files,
        Duration watchInterval,
        String lake,
        String s3Endpoint,
        boolean s3PathStyle,
        String checkpointDir,
        Duration checkpointInterval,
        LakeLayout partition,
        int maxOpenPartitions,
        String resumeFrom,
        String jobId,
        int parallelism,
        String glueDatabase,
        String glueRegion,
        String glueEndpoint,
        Duration dedupTtl,
        EnrichmentSettings enrichment,
        Duration enrichmentTimeout,
        int enrichmentCapacity,
        RescoreSettings rescore,
        List<String> fileRules,
        List<XRule> xRules,
        String xBearerToken,
        String xApiBase,
        boolean xPollOnly,
        boolean xCompliance,
        boolean bluesky,
        Map<String, List<String>> blueskyKeywords,
        Set<String> blueskyLanguages,
        List<String> blueskyEndpoints,
        String mastodonServer,
        String mastodonHashtag,
        String mastodonList,
        boolean mastodonLocal,
        String mastodonToken) implements Serializable {

    /**
     * Checks the settings together and copies the collections (immutable, in the order given).
     * @throws IllegalArgumentException naming every setting that is missing, out of range or
     *     contradicts another, one per line, so a user fixes them in one go
     */
    public JobSettings {
        files = List.copyOf(files);
        fileRules = List.copyOf(fileRules);
        xRules = List.copyOf(xRules);
        blueskyKeywords = orderedCopy(blueskyKeywords);
        blueskyLanguages = Collections.unmodifiableSet(new LinkedHashSet<>(blueskyLanguages));
        blueskyEndpoints = List.copyOf(blueskyEndpoints);
        List<String> problems = new ArrayList<>();
        boolean live = !xRules.isEmpty() || bluesky || mastodonServer != null;
        if (rescore != null && (!files.isEmpty() || live)) {
            problems.add("a rescore reads the lake's own posts: no files or live sources with it");
        }
        if (rescore == null && files.isEmpty() && !live) {
            problems.add("no source: give files or folders to read, X rules to follow, --bluesky, or --mastodon URL");
        }
        if (mastodonServer == null && (mastodonHashtag != null || mastodonList != null || mastodonLocal || mastodonToken != null)) {
            problems.add("--mastodon-hashtag, --mastodon-list, --mastodon-local and --mastodon-token"
                    + " need the server: --mastodon https://server");
        }
        if (mastodonHashtag != null && mastodonList != null) {
            problems.add("follow one Mastodon timeline: a hashtag or a list, not both");
        }
        if (mastodonList != null && mastodonLocal) {
            problems.add("--mastodon-local is for the public and hashtag timelines; a list has no local variant");
        }
        if (xPollOnly && xRules.isEmpty()) {
            problems.add("--x-poll polls X's recent search for the X rules: give X rules (--x-rule) too");
        }
        if (glueDatabase == null && (glueRegion != null || glueEndpoint != null)) {
            problems.add("--glue-region and --glue-endpoint are for registering partitions: give --glue-database too");
        }
        if (xCompliance && xRules.isEmpty()) {
            problems.add("--x-compliance follows deletions of the X posts this job reads: give X rules (--x-rule) too");
        }
        if (lake == null || lake.isBlank()) {
            problems.add("no lake: give a folder or a URI such as s3://bucket/prefix");
        }
        if (checkpointDir == null || checkpointDir.isBlank()) {
            problems.add("no checkpoint folder");
        }
        if (enrichment == null) {
            problems.add("no enrichment settings (the model)");
        }
        if (parallelism < 1) {
            problems.add("parallelism must be >= 1, got " + parallelism);
        }
        if (maxOpenPartitions < 1) {
            problems.add("max open partitions must be >= 1, got " + maxOpenPartitions);
        }
        if (enrichmentCapacity < 1) {
            problems.add("enrichment capacity must be >= 1, got " + enrichmentCapacity);
        }
        requirePositive(problems, "checkpoint interval", checkpointInterval);
        requirePositive(problems, "enrichment timeout", enrichmentTimeout);
        requirePositive(problems, "de-duplication time", dedupTtl);
        if (watchInterval != null && (watchInterval.isNegative() || watchInterval.isZero())) {
            problems.add("watch interval must be positive, got " + watchInterval);
        }
        // What the sources' own builders refuse, now rather than when the job is built (the same
        // builders, given the same settings, build the job's sources).
        if (!xRules.isEmpty()) {
            List<XRule> rules = xRules; // (copies: the lambdas want effectively final names)
            JobSources.check(problems, "X source", () -> JobSources.x(rules, xBearerToken, xApiBase, xPollOnly, xCompliance));
        }
        if (bluesky) {
            Map<String, List<String>> keywords = blueskyKeywords;
            Set<String> languages = blueskyLanguages;
            List<String> endpoints = blueskyEndpoints;
            JobSources.check(problems, "Bluesky source", () -> JobSources.bluesky(keywords, languages, endpoints));
        }
        if (mastodonServer != null) {
            JobSources.check(problems, "Mastodon source", () -> JobSources.mastodon(mastodonServer, mastodonHashtag,
                    mastodonList, mastodonLocal, mastodonToken));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Settings with every default: give at least a source (or a rescore) before {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive changed ones. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.files = files;
        b.watchInterval = watchInterval;
        b.lake = lake;
        b.s3Endpoint = s3Endpoint;
        b.s3PathStyle = s3PathStyle;
        b.checkpointDir = checkpointDir;
        b.checkpointInterval = checkpointInterval;
        b.partition = partition;
        b.maxOpenPartitions = maxOpenPartitions;
        b.resumeFrom = resumeFrom;
        b.jobId = jobId;
        b.parallelism = parallelism;
        b.glueDatabase = glueDatabase;
        b.glueRegion = glueRegion;
        b.glueEndpoint = glueEndpoint;
        b.dedupTtl = dedupTtl;
        b.enrichment = enrichment;
        b.enrichmentTimeout = enrichmentTimeout;
        b.enrichmentCapacity = enrichmentCapacity;
        b.rescore = rescore;
        b.fileRules = fileRules;
        b.xRules = xRules;
        b.xBearerToken = xBearerToken;
        b.xApiBase = xApiBase;
        b.xPollOnly = xPollOnly;
        b.xCompliance = xCompliance;
        b.bluesky = bluesky;
        b.blueskyKeywords = blueskyKeywords;
        b.blueskyLanguages = blueskyLanguages;
        b.blueskyEndpoints = blueskyEndpoints;
        b.mastodonServer = mastodonServer;
        b.mastodonHashtag = mastodonHashtag;
        b.mastodonList = mastodonList;
        b.mastodonLocal = mastodonLocal;
        b.mastodonToken = mastodonToken;
        return b;
    }

    /** Whether the job follows a live platform (X, Bluesky, Mastodon), which never ends. */
    public boolean followsLiveSources() {
        return !xRules.isEmpty() || bluesky || mastodonServer != null;
    }

    private static Map<String, List<String>> orderedCopy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((name, terms) -> copy.put(name, List.copyOf(terms)));
        return Collections.unmodifiableMap(copy);
    }

    private static void requirePositive(List<String> problems, String what, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.add(what + " must be positive, got " + duration);
        }
    }

    /** Collects settings, starting from the defaults; {@link #build()} makes (and so checks) them. */
    public static final class Builder {
        private List<String> files = List.of();
        private Duration watchInterval = null;
        private String lake = "lake";
        private String s3Endpoint = null;
        private boolean s3PathStyle = false;
        private String checkpointDir = "checkpoints";
        private Duration checkpointInterval = Duration.ofSeconds(60);
        private LakeLayout partition = null;
        private int maxOpenPartitions = 200;
        private String resumeFrom = null;
        private String jobId = null;
        private int parallelism = 2;
        private String glueDatabase = null;
        private String glueRegion = null;
        private String glueEndpoint = null;
        private Duration dedupTtl = Duration.ofDays(7);
        private EnrichmentSettings enrichment = EnrichmentSettings.defaults();
        private Duration enrichmentTimeout = Duration.ofMinutes(10);
        private int enrichmentCapacity = EnrichmentSettings.GATHER_POSTS;
        private RescoreSettings rescore = null;
        private List<String> fileRules = List.of();
        private List<XRule> xRules = List.of();
        private String xBearerToken = "env:X_BEARER_TOKEN";
        private String xApiBase = null;
        private boolean xPollOnly = false;
        private boolean xCompliance = false;
        private boolean bluesky = false;
        private Map<String, List<String>> blueskyKeywords = Map.of();
        private Set<String> blueskyLanguages = Set.of();
        private List<String> blueskyEndpoints = List.of();
        private String mastodonServer = null;
        private String mastodonHashtag = null;
        private String mastodonList = null;
        private boolean mastodonLocal = false;
        private String mastodonToken = null;

        /** What the caller found wrong in what it was given, listed with the settings' own problems. */
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /**
         * A problem the caller found in what it was given (a flag it could not parse), said by
         * {@link #build()} together with the settings' own problems, so a user sees them all at once.
         */
        public Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        public Builder files(List<String> files) {
            this.files = files;
            return this;
        }

        public Builder watchInterval(Duration watchInterval) {
            this.watchInterval = watchInterval;
            return this;
        }

        public Builder lake(String lake) {
            this.lake = lake;
            return this;
        }

        public Builder s3Endpoint(String s3Endpoint) {
            this.s3Endpoint = s3Endpoint;
            return this;
        }

        public Builder s3PathStyle(boolean s3PathStyle) {
            this.s3PathStyle = s3PathStyle;
            return this;
        }

        public Builder checkpointDir(String checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder partition(LakeLayout partition) {
            this.partition = partition;
            return this;
        }

        public Builder maxOpenPartitions(int maxOpenPartitions) {
            this.maxOpenPartitions = maxOpenPartitions;
            return this;
        }

        public Builder resumeFrom(String resumeFrom) {
            this.resumeFrom = resumeFrom;
            return this;
        }

        public Builder jobId(String jobId) {
            this.jobId = jobId;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder glueDatabase(String glueDatabase) {
            this.glueDatabase = glueDatabase;
            return this;
        }

        public Builder glueRegion(String glueRegion) {
            this.glueRegion = glueRegion;
            return this;
        }

        public Builder glueEndpoint(String glueEndpoint) {
            this.glueEndpoint = glueEndpoint;
            return this;
        }

        public Builder dedupTtl(Duration dedupTtl) {
            this.dedupTtl = dedupTtl;
            return this;
        }

        public Builder enrichment(EnrichmentSettings enrichment) {
            this.enrichment = enrichment;
            return this;
        }

        public Builder enrichmentTimeout(Duration enrichmentTimeout) {
            this.enrichmentTimeout = enrichmentTimeout;
            return this;
        }

        public Builder enrichmentCapacity(int enrichmentCapacity) {
            this.enrichmentCapacity = enrichmentCapacity;
            return this;
        }

        public Builder rescore(RescoreSettings rescore) {
            this.rescore = rescore;
            return this;
        }

        public Builder fileRules(List<String> fileRules) {
            this.fileRules = fileRules;
            return this;
        }

        public Builder xRules(List<XRule> xRules) {
            this.xRules = xRules;
            return this;
        }

        public Builder xBearerToken(String xBearerToken) {
            this.xBearerToken = xBearerToken;
            return this;
        }

        public Builder xApiBase(String xApiBase) {
            this.xApiBase = xApiBase;
            return this;
        }

        public Builder xPollOnly(boolean xPollOnly) {
            this.xPollOnly = xPollOnly;
            return this;
        }

        public Builder xCompliance(boolean xCompliance) {
            this.xCompliance = xCompliance;
            return this;
        }

        public Builder bluesky(boolean bluesky) {
            this.bluesky = bluesky;
            return this;
        }

        public Builder blueskyKeywords(Map<String, List<String>> blueskyKeywords) {
            this.blueskyKeywords = blueskyKeywords;
            return this;
        }

        public Builder blueskyLanguages(Set<String> blueskyLanguages) {
            this.blueskyLanguages = blueskyLanguages;
            return this;
        }

        public Builder blueskyEndpoints(List<String> blueskyEndpoints) {
            this.blueskyEndpoints = blueskyEndpoints;
            return this;
        }

        public Builder mastodonServer(String mastodonServer) {
            this.mastodonServer = mastodonServer;
            return this;
        }

        public Builder mastodonHashtag(String mastodonHashtag) {
            this.mastodonHashtag = mastodonHashtag;
            return this;
        }

        public Builder mastodonList(String mastodonList) {
            this.mastodonList = mastodonList;
            return this;
        }

        public Builder mastodonLocal(boolean mastodonLocal) {
            this.mastodonLocal = mastodonLocal;
            return this;
        }

        public Builder mastodonToken(String mastodonToken) {
            this.mastodonToken = mastodonToken;
            return this;
        }

        /**
         * The settings; see the record's constructor for what is checked.
         * @throws IllegalArgumentException listing the {@link #problem problems} given, then the
         *     settings' own, one per line
         */
        public JobSettings build() {
            JobSettings settings;
            try {
                settings = create();
            } catch (IllegalArgumentException e) {
                if (problems.isEmpty()) {
                    throw e;
                }
                throw new IllegalArgumentException(String.join("\n", problems) + "\n" + e.getMessage(), e);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return settings;
        }

        private JobSettings create() {
            return new JobSettings(files, watchInterval, lake, s3Endpoint, s3PathStyle, checkpointDir, checkpointInterval, partition, maxOpenPartitions, resumeFrom, jobId, parallelism, glueDatabase, glueRegion, glueEndpoint, dedupTtl, enrichment, enrichmentTimeout, enrichmentCapacity, rescore, fileRules, xRules, xBearerToken, xApiBase, xPollOnly, xCompliance, bluesky, blueskyKeywords, blueskyLanguages, blueskyEndpoints, mastodonServer, mastodonHashtag, mastodonList, mastodonLocal, mastodonToken);
        }
    }
}
