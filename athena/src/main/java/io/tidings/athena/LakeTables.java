package io.tidings.athena;

import java.util.List;

/**
 * The lake's tables as SQL sees them: columns with their types in Hive/Athena DDL terms, and the
 * partition columns {@code dt} (date) and {@code hour} (0-23, folder {@code hour=07}). The job's
 * Parquet schema (job module, {@code LakeSchema}) writes exactly these columns; a test keeps the
 * two in step.
 */
public final class LakeTables {
    private LakeTables() {}

    /** A column: name and type in Hive DDL terms (string, bigint, int, double, timestamp, array&lt;string&gt;). */
    public record Column(String name, String hiveType) {
        /** The same type in DuckDB's spelling. */
        public String duckDbType() {
            return switch (hiveType) {
                case "string" -> "VARCHAR";
                case "bigint" -> "BIGINT";
                case "int" -> "INTEGER";
                case "double" -> "DOUBLE";
                case "timestamp" -> "TIMESTAMP";
                case "date" -> "DATE";
                case "array<string>" -> "VARCHAR[]";
                default -> throw new IllegalStateException("no DuckDB type for " + hiveType);
            };
        }
    }

    /** A table: its name, the folder under the lake root, its columns and partition columns. */
    public record Table(String name, List<Column> columns) {
        public String folder() {
            return name;
        }
    }

    public static final List<Column> PARTITION_COLUMNS = List.of(new Column("dt", "date"), new Column("hour", "int"));

    public static final Table POSTS = new Table("posts", List.of(
            new Column("post_id", "string"),
            new Column("platform", "string"),
            new Column("native_id", "string"),
            new Column("url", "string"),
            new Column("created_at", "timestamp"),
            new Column("ingested_at", "timestamp"),
            new Column("author_id", "string"),
            new Column("author_handle", "string"),
            new Column("author_name", "string"),
            new Column("author_followers", "bigint"),
            new Column("author_location", "string"),
            new Column("text", "string"),
            new Column("kind", "string"),
            new Column("reply_to_id", "string"),
            new Column("quote_of_id", "string"),
            new Column("repost_of_id", "string"),
            new Column("like_count", "bigint"),
            new Column("repost_count", "bigint"),
            new Column("reply_count", "bigint"),
            new Column("quote_count", "bigint"),
            new Column("hashtags", "array<string>"),
            new Column("mentions", "array<string>"),
            new Column("urls", "array<string>"),
            new Column("cashtags", "array<string>"),
            new Column("lang", "string"),
            new Column("lang_detected", "string"),
            new Column("lang_confidence", "double"),
            new Column("geo", "string"),
            new Column("matched_rules", "array<string>"),
            new Column("sentiment", "string"),
            new Column("sentiment_score", "double"),
            new Column("p_negative", "double"),
            new Column("p_neutral", "double"),
            new Column("p_positive", "double"),
            new Column("model_version", "string")));

    public static final Table ENTITIES = new Table("entities", List.of(
            new Column("post_id", "string"),
            new Column("created_at", "timestamp"),
            new Column("text", "string"),
            new Column("type", "string"),
            new Column("char_start", "int"),
            new Column("char_end", "int"),
            new Column("score", "double"),
            new Column("model_version", "string")));

    public static final List<Table> ALL = List.of(POSTS, ENTITIES);
}
