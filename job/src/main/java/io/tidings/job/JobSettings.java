package io.tidings.job;

import io.tidings.athena.LakeLayout;
import io.tidings.operators.enrich.EnrichmentSettings;
import io.tidings.source.x.source.XRule;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run of the job is told: where posts come from, where the lake is, and how hard
 * to work. Built by the launcher from flags or a properties file, and on Managed Flink from the
 * application's runtime property groups; the job itself reads nothing else.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Files or folders of JSON lines (gzip etc. by extension) to read. */
    public List<String> files = new ArrayList<>();
    /** When set, the folders are watched for new files at this interval and the job never ends. */
    public Duration watchInterval;
    /** Lake root: a local folder or a file system URI such as {@code s3://bucket/prefix}. */
    public String lake = "lake";
    /**
     * S3 endpoint for an {@code s3://} lake in local runs (an S3-compatible server such as MinIO or
     * S3Proxy); null for AWS S3. Credentials never live here: the local runner takes them from the
     * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) or the default AWS chain.
     */
    public String s3Endpoint;
    /** Path-style S3 requests ({@code http://host/bucket/key}), which most S3-compatible servers want. */
    public boolean s3PathStyle;
    /** Where checkpoints go: a local folder, or on a cluster a URI ({@link FaultTolerance} says who decides). */
    public String checkpointDir = "checkpoints";
    /** Checkpoint interval: each checkpoint commits one Parquet file per open partition and subtask. */
    public Duration checkpointInterval = Duration.ofSeconds(60);
    /**
     * How the lake's tables are partitioned (by hour for streams, by day for archives that span
     * years); null: as the lake already is, by hour for a new lake.
     */
    public LakeLayout partition;
    /**
     * Open Parquet part files per sink subtask at most: beyond this, the least recently written
     * partitions close their files early (each open writer holds buffers until it closes).
     */
    public int maxOpenPartitions = 200;
    /** A checkpoint to resume from, found by the launcher's {@code --resume}; null for a fresh start. */
    public String resumeFrom;
    public int parallelism = 2;
    /**
     * The AWS Glue Data Catalog database whose tables get the lake's new partitions once their files
     * are committed; null: no registration (Athena's partition projection needs none).
     */
    public String glueDatabase;
    /** The Glue catalog's region; null: the AWS default chain. */
    public String glueRegion;
    /** A Glue endpoint (a local emulator); null: AWS. */
    public String glueEndpoint;
    /** How long a post id is remembered for de-duplication. */
    public Duration dedupTtl = Duration.ofDays(7);
    public EnrichmentSettings enrichment = EnrichmentSettings.defaults();
    /**
     * How long a post may wait in the enrichment operator (the model call included) before the job
     * fails over: a model call that hangs is an error to restart from, not a post to drop.
     */
    public Duration enrichmentTimeout = Duration.ofMinutes(10);
    /** Posts in flight in the enrichment operator per subtask: at least what a model worker gathers for one call. */
    public int enrichmentCapacity = EnrichmentSettings.GATHER_POSTS;
    /**
     * When set, this run is a rescore of the lake's own posts ({@link RescoreJob}) instead of a
     * run over sources; none of the source settings then applies.
     */
    public io.tidings.job.rescore.RescoreSettings rescore;
    /** Rules/terms recorded on every post from the files (e.g. a label for an import). */
    public List<String> fileRules = new ArrayList<>();

    /** X API v2 filtered stream rules ({@code value} and {@code tag}); empty: no X source. */
    public List<XRule> xRules = new ArrayList<>();
    /** Where the X bearer token is: {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID}; never the token itself. */
    public String xBearerToken = "env:X_BEARER_TOKEN";
    /** X API base URL (a test server, a proxy); null for the real API. */
    public String xApiBase;
    /** Recent search polling instead of the stream, for API access levels without streaming. */
    public boolean xPollOnly;
    /** Also follow X's post compliance stream (Enterprise access), so that posts deleted on X become tombstones. */
    public boolean xCompliance;

    /** Follow Bluesky through Jetstream. */
    public boolean bluesky;
    /** Bluesky keyword filters: name → terms (any term matches); empty: every post. */
    public Map<String, List<String>> blueskyKeywords = new LinkedHashMap<>();
    /** Bluesky languages to keep (record {@code langs}); empty: all. */
    public Set<String> blueskyLanguages = new LinkedHashSet<>();
    /** Jetstream endpoints, in fail-over order; empty: the public instances. */
    public List<String> blueskyEndpoints = new ArrayList<>();

    /** The Mastodon server to follow, {@code https://server}; null: no Mastodon source. */
    public String mastodonServer;
    /** Follow this hashtag on the server; null (and no list): its public timeline. */
    public String mastodonHashtag;
    /** Follow this list (an id; lists belong to the token's account); null: no list. */
    public String mastodonList;
    /** Only the server's own users' statuses (the local public or hashtag timeline). */
    public boolean mastodonLocal;
    /** Where the Mastodon access token is: {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID}; null: none. */
    public String mastodonToken;

    /** Whether the job follows a live platform (X, Bluesky, Mastodon), which never ends. */
    public boolean followsLiveSources() {
        return !xRules.isEmpty() || bluesky || mastodonServer != null;
    }

    public JobSettings validate() {
        if (rescore != null && (!files.isEmpty() || followsLiveSources())) {
            throw new IllegalArgumentException("a rescore reads the lake's own posts: no files or live sources with it");
        }
        if (rescore == null && files.isEmpty() && !followsLiveSources()) {
            throw new IllegalArgumentException(
                    "no source: give files or folders to read, X rules to follow, --bluesky, or --mastodon URL");
        }
        if (mastodonServer == null && (mastodonHashtag != null || mastodonList != null || mastodonLocal || mastodonToken != null)) {
            throw new IllegalArgumentException("--mastodon-hashtag, --mastodon-list, --mastodon-local and --mastodon-token"
                    + " need the server: --mastodon https://server");
        }
        if (mastodonHashtag != null && mastodonList != null) {
            throw new IllegalArgumentException("follow one Mastodon timeline: a hashtag or a list, not both");
        }
        if (mastodonList != null && mastodonLocal) {
            throw new IllegalArgumentException("--mastodon-local is for the public and hashtag timelines; a list has no local variant");
        }
        if (xCompliance && xRules.isEmpty()) {
            throw new IllegalArgumentException("--x-compliance follows deletions of the X posts this job reads:"
                    + " give X rules (--x-rule) too");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        if (maxOpenPartitions < 1) {
            throw new IllegalArgumentException("max open partitions must be >= 1, got " + maxOpenPartitions);
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + checkpointInterval);
        }
        return this;
    }
}
