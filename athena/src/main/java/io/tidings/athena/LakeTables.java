package io.tidings.athena;

import java.util.List;

/**
 * The lake's tables as SQL sees them: columns with their types in Hive/Athena DDL terms, and the
 * partition columns {@code dt} (date) and {@code hour} (0-23, folder {@code hour=07}). This is the
 * one description of the lake's tables: the job's Parquet schemas (job module, {@code LakeSchema})
 * are made from it, and so are the DuckDB, Trino/Athena and Glue definitions.
 *
 * <p>Deleted posts: the job never rewrites a Parquet file, so a deleted post stays in the files
 * and a deletion is a row of {@link #TOMBSTONES}. The files of {@code posts/} and {@code
 * entities/} are therefore the tables {@code posts_all} and {@code entities_all}, and {@code
 * posts} and {@code entities} are views ({@link LakeSql#LIVE_VIEWS}) that leave out every post
 * with a tombstone; every other view and query reads those, so none of them sees a deleted post.
 *
 * <p>Edited posts: an edit is a new row of the same {@code post_id} with a later {@code
 * edited_at} (a version); the files keep every version and the live views show the newest.
 *
 * <p>Rescored posts: a rescore writes a new row of the same version with the new {@code
 * model_version} and {@code scored_at}; of the rows of one version the live views show the one
 * scored last ({@link LakeSql#newestVersion}).
 */
public final class LakeTables {
    private LakeTables() {}

    /**
     * A column: name, type in Hive DDL terms (string, bigint, int, double, boolean, timestamp,
     * array&lt;string&gt;), whether every row has a value ({@code required}: the job's Parquet
     * schema writes it as non-null; SQL types have no such flag, so only the files differ), and
     * whether it was added after the first lakes ({@code addedLater}: files written before it lack
     * it, so a reader of the job's own files, the rescore's, needs a value for it there).
     */
    public record Column(String name, String hiveType, boolean required, boolean addedLater) {
        /** A column of the first lakes. */
        public Column(String name, String hiveType, boolean required) {
            this(name, hiveType, required, false);
        }

        /** A column of the first lakes that may be null: most are. */
        public Column(String name, String hiveType) {
            this(name, hiveType, false);
        }

        /** A column of the first lakes every row has a value for. */
        public static Column required(String name, String hiveType) {
            return new Column(name, hiveType, true);
        }

        /**
         * A column added after the first lakes: last in its table, null in the files written
         * before it. A required one must have a type whose empty value those files can read as
         * (boolean false, an empty array: the job module's {@code LakePosts.READ}).
         */
        public Column asAddedLater() {
            return new Column(name, hiveType, required, true);
        }

        /** The same type in DuckDB's spelling. */
        public String duckDbType() {
            return switch (hiveType) {
                case "string" -> "VARCHAR";
                case "bigint" -> "BIGINT";
                case "int" -> "INTEGER";
                case "double" -> "DOUBLE";
                case "boolean" -> "BOOLEAN";
                case "timestamp" -> "TIMESTAMP";
                case "date" -> "DATE";
                case "array<string>" -> "VARCHAR[]";
                default -> throw new IllegalStateException("no DuckDB type for " + hiveType);
            };
        }

        /** The same type as Trino (Athena engine v3) names it in a view's column list. */
        public String trinoType() {
            return switch (hiveType) {
                case "string" -> "varchar";
                case "bigint" -> "bigint";
                case "int" -> "integer";
                case "double" -> "double";
                case "boolean" -> "boolean";
                case "timestamp" -> "timestamp(3)";
                case "date" -> "date";
                case "array<string>" -> "array(varchar)";
                default -> throw new IllegalStateException("no Trino type for " + hiveType);
            };
        }
    }

    /** A table: its SQL name, the folder under the lake root, its columns (partition columns apart). */
    public record Table(String name, String folder, List<Column> columns) {
        /** A table whose folder is its name. */
        public Table(String name, List<Column> columns) {
            this(name, name, columns);
        }

        /** The timestamp column whose UTC hour decides the partition ({@code created_at}, {@code deleted_at}). */
        public String partitionTime() {
            return columns.stream().filter(c -> c.hiveType().equals("timestamp")).findFirst().orElseThrow().name();
        }
    }

    /**
     * The partition columns local SQL always has, last; a lake partitioned by day has only the first
     * in its folders ({@link LakeLayout}).
     */
    public static final List<Column> PARTITION_COLUMNS = List.of(new Column("dt", "date"), new Column("hour", "int"));

    /** Every post ever written, deleted ones included (folder {@code posts/}); SQL reads the view {@code posts}. */
    public static final Table POSTS = new Table("posts_all", "posts", List.of(
            Column.required("post_id", "string"),
            Column.required("platform", "string"),
            Column.required("native_id", "string"),
            new Column("url", "string"),
            Column.required("created_at", "timestamp"),
            Column.required("ingested_at", "timestamp"),
            new Column("author_id", "string"),
            new Column("author_handle", "string"),
            new Column("author_name", "string"),
            new Column("author_followers", "bigint"),
            new Column("author_location", "string"),
            Column.required("text", "string"),
            Column.required("kind", "string"),
            new Column("reply_to_id", "string"),
            new Column("quote_of_id", "string"),
            new Column("repost_of_id", "string"),
            new Column("like_count", "bigint"),
            new Column("repost_count", "bigint"),
            new Column("reply_count", "bigint"),
            new Column("quote_count", "bigint"),
            Column.required("hashtags", "array<string>"),
            Column.required("mentions", "array<string>"),
            Column.required("urls", "array<string>"),
            Column.required("cashtags", "array<string>"),
            new Column("lang", "string"),
            new Column("lang_detected", "string"),
            new Column("lang_confidence", "double"),
            new Column("geo", "string"),
            Column.required("matched_rules", "array<string>"),
            new Column("sentiment", "string"),
            new Column("sentiment_score", "double"),
            new Column("p_negative", "double"),
            new Column("p_neutral", "double"),
            new Column("p_positive", "double"),
            new Column("model_version", "string"),
            // Added after the first lakes (asAddedLater): last, and missing in files written before them.
            // Whether created_at was derived from the post's id (X posts fetched without created_at).
            Column.required("created_at_derived", "boolean").asAddedLater(),
            // Bluesky: the mentioned accounts' DIDs (mentions holds their handles); empty elsewhere.
            Column.required("mention_dids", "array<string>").asAddedLater(),
            // The version: when the post was edited (Mastodon's edited_at), null for a post as first
            // published. Every version is a row here; the view posts shows the newest.
            new Column("edited_at", "timestamp").asAddedLater(),
            // When a rescore (bin/tidings rescore) scored this version again with another model; null
            // for a row scored as it was read (at ingested_at). Of two rows of one version, the
            // views show the one scored last.
            new Column("scored_at", "timestamp").asAddedLater(),
            // Issue 21's signals (null when the model has no such heads): the emotion among anger, joy,
            // optimism, sadness with its probability; offensive, hate and irony with the probability of yes.
            new Column("emotion", "string").asAddedLater(),
            new Column("emotion_score", "double").asAddedLater(),
            new Column("offensive", "boolean").asAddedLater(),
            new Column("offensive_score", "double").asAddedLater(),
            new Column("hate", "boolean").asAddedLater(),
            new Column("hate_score", "double").asAddedLater(),
            new Column("irony", "boolean").asAddedLater(),
            new Column("irony_score", "double").asAddedLater()));

    /** Every entity mention, deleted posts' included (folder {@code entities/}); SQL reads the view {@code entities}. */
    public static final Table ENTITIES = new Table("entities_all", "entities", List.of(
            Column.required("post_id", "string"),
            Column.required("created_at", "timestamp"),
            Column.required("text", "string"),
            Column.required("type", "string"),
            Column.required("char_start", "int"),
            Column.required("char_end", "int"),
            Column.required("score", "double"),
            new Column("model_version", "string"),
            // The canonical key of text that entity aggregations group by (EntityKey, records module).
            new Column("text_key", "string").asAddedLater(),
            // The post's version and the time its posts row was read: the view entities keeps the
            // mentions of the row the view posts shows.
            new Column("edited_at", "timestamp").asAddedLater(),
            new Column("ingested_at", "timestamp").asAddedLater(),
            // The scored_at of that posts row: a rescore's mentions belong to its row, not the first scoring's.
            new Column("scored_at", "timestamp").asAddedLater()));

    /** One row per deletion a platform announced, partitioned by the UTC hour of {@code deleted_at}. */
    public static final Table TOMBSTONES = new Table("tombstones", List.of(
            Column.required("post_id", "string"),
            new Column("platform", "string"),
            Column.required("deleted_at", "timestamp"),
            new Column("source", "string")));

    /** The table a live view of {@link LakeSql#LIVE_VIEWS} filters: {@code posts} → {@link #POSTS}, {@code entities} → {@link #ENTITIES}. */
    public static Table liveViewOf(String view) {
        return switch (view) {
            case "posts" -> POSTS;
            case "entities" -> ENTITIES;
            default -> throw new IllegalArgumentException("no live view " + view);
        };
    }

    /** The tables over the lake's Parquet folders (the views of {@link LakeSql} read them). */
    public static final List<Table> ALL = List.of(POSTS, ENTITIES, TOMBSTONES);
}
