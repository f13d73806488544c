package io.tidings.job.lake;

import io.tidings.athena.LakeTables;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Parquet schemas of the lake's tables, {@code posts}, {@code entities} and {@code tombstones}
 * (in SQL: {@code posts_all}, {@code entities_all}, {@code tombstones}). Column names
 * are the ones in {@code ../shared/DESIGN.md} and in the SQL of the athena module; a test keeps
 * the two in step. The partition columns {@code dt} and {@code hour} are folder names
 * ({@code dt=2026-11-26/hour=07}), never stored in the files, as Hive, Athena and DuckDB expect.
 *
 * <p>Timestamps are written as UTC wall-clock values ({@code local-timestamp-millis}): Athena,
 * Trino and DuckDB all read them as plain {@code TIMESTAMP} in UTC, with no session time zone
 * involved.
 */
public final class LakeSchema {
    private LakeSchema() {}

    private static final Schema TIMESTAMP =
            LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema STRING_ARRAY = SchemaBuilder.array().items().stringType();
    private static final Schema OPTIONAL_TIMESTAMP = Schema.createUnion(Schema.create(Schema.Type.NULL), TIMESTAMP);

    public static final Schema POSTS = SchemaBuilder.record("post").namespace("io.tidings.lake").fields()
            .requiredString("post_id")
            .requiredString("platform")
            .requiredString("native_id")
            .optionalString("url")
            .name("created_at").type(TIMESTAMP).noDefault()
            .name("ingested_at").type(TIMESTAMP).noDefault()
            .optionalString("author_id")
            .optionalString("author_handle")
            .optionalString("author_name")
            .optionalLong("author_followers")
            .optionalString("author_location")
            .requiredString("text")
            .requiredString("kind")
            .optionalString("reply_to_id")
            .optionalString("quote_of_id")
            .optionalString("repost_of_id")
            .optionalLong("like_count")
            .optionalLong("repost_count")
            .optionalLong("reply_count")
            .optionalLong("quote_count")
            .name("hashtags").type(STRING_ARRAY).noDefault()
            .name("mentions").type(STRING_ARRAY).noDefault()
            .name("urls").type(STRING_ARRAY).noDefault()
            .name("cashtags").type(STRING_ARRAY).noDefault()
            .optionalString("lang")
            .optionalString("lang_detected")
            .optionalDouble("lang_confidence")
            .optionalString("geo")
            .name("matched_rules").type(STRING_ARRAY).noDefault()
            .optionalString("sentiment")
            .optionalDouble("sentiment_score")
            .optionalDouble("p_negative")
            .optionalDouble("p_neutral")
            .optionalDouble("p_positive")
            .optionalString("model_version")
            // Columns added after the first lakes were written come last; files without them read
            // as null (LocalLake in the athena module, Athena by column name).
            .requiredBoolean("created_at_derived")
            .name("mention_dids").type(STRING_ARRAY).noDefault()
            // The version: when the post was edited (Mastodon), null for a post as first published.
            // A post_id may have several rows, one per version; the views show the newest.
            .name("edited_at").type(OPTIONAL_TIMESTAMP).withDefault(null)
            // When `tidings rescore` scored this version again (model_version says with what); null
            // for a row scored as it was read. Of the rows of one version the views show the one scored last.
            .name("scored_at").type(OPTIONAL_TIMESTAMP).withDefault(null)
            .endRecord();

    /**
     * One row per entity mention. {@code char_start}/{@code char_end} are UTF-16 offsets into the
     * post's {@code text} (DESIGN.md calls them start/end; {@code end} is a reserved word in both
     * Trino and DuckDB, so the lake spells them out). {@code created_at} repeats the post's time so
     * entity queries can filter by time without a join. {@code text_key} is the canonical key of
     * {@code text} ({@code EntityKey}: NFKC, case, leading {@code #}/{@code @}), what entity
     * aggregations group by. {@code edited_at} and {@code ingested_at} are the post's: they tie each
     * mention to one version of the post, written by one run.
     */
    public static final Schema ENTITIES = SchemaBuilder.record("entity").namespace("io.tidings.lake").fields()
            .requiredString("post_id")
            .name("created_at").type(TIMESTAMP).noDefault()
            .requiredString("text")
            .requiredString("type")
            .requiredInt("char_start")
            .requiredInt("char_end")
            .requiredDouble("score")
            .optionalString("model_version")
            .optionalString("text_key")
            // The version of the post the mention was found in, and when that row of posts was read:
            // the views keep the mentions of the newest version, of the same run as its posts row.
            .name("edited_at").type(OPTIONAL_TIMESTAMP).withDefault(null)
            .name("ingested_at").type(OPTIONAL_TIMESTAMP).withDefault(null)
            // The posts row's scored_at: a rescore's mentions go with its row, not with the first scoring's.
            .name("scored_at").type(OPTIONAL_TIMESTAMP).withDefault(null)
            .endRecord();

    /**
     * One row per deletion of a post a platform announced. The lake never rewrites files: the
     * {@code posts} and {@code entities} views of the athena module leave out every post that has a
     * row here. Partitioned by the UTC hour of {@code deleted_at}.
     */
    public static final Schema TOMBSTONES = SchemaBuilder.record("tombstone").namespace("io.tidings.lake").fields()
            .requiredString("post_id")
            .optionalString("platform")
            .name("deleted_at").type(TIMESTAMP).noDefault()
            .optionalString("source")
            .endRecord();

    /** The Parquet schema of a lake table the job writes ({@code LakeTables}: its folder, columns and partition time). */
    public static Schema of(LakeTables.Table table) {
        if (table.equals(LakeTables.POSTS)) {
            return POSTS;
        } else if (table.equals(LakeTables.ENTITIES)) {
            return ENTITIES;
        } else if (table.equals(LakeTables.TOMBSTONES)) {
            return TOMBSTONES;
        }
        throw new IllegalArgumentException("the job writes no table " + table.name());
    }
}
