package io.tidings.operators;

/**
 * Names of the accumulators the operators keep, which the launcher reads for its progress line
 * and final summary (metrics of the same names serve dashboards on a cluster).
 */
public final class JobCounters {
    private JobCounters() {}

    /** Raw records read by the sources. */
    public static final String RECORDS = "records";
    /** Records that became posts. */
    public static final String POSTS = "posts";
    /** Records refused with a reason (dead letters). */
    public static final String DEAD_LETTERS = "dead_letters";
    /** Records skipped on purpose (non-post events such as likes, profile updates, stream notices). */
    public static final String SKIPPED = "skipped";
    /** The skipped records by kind ({@link SkippedKinds}). */
    public static final String SKIPPED_KINDS = "skipped_kinds";
    /** Deletions of posts (Bluesky deletes, X delete notices), written to the lake as tombstones. */
    public static final String DELETIONS = "deletions";
    /** Posts dropped because their id was seen before. */
    public static final String DUPLICATES = "duplicates";
    /**
     * Posts handed to the lake's posts sink, which commits them with the next checkpoint (or the
     * savepoint of a stop); posts still being enriched are not counted yet.
     */
    public static final String WRITTEN = "written";
    /**
     * When the first post reached the lake's posts sink, epoch milliseconds (the smallest over the
     * subtasks): how long a run takes to start is measured to it.
     */
    public static final String FIRST_WRITTEN_AT = "first_written_at";
    /** Posts the models scored (the others keep null sentiment). */
    public static final String SCORED = "scored";
    /** Posts the models failed on and which went on unscored. */
    public static final String ENRICH_FAILURES = "enrich_failures";
}
