package io.tidings.job.lake;

import io.tidings.athena.LakeTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The Parquet (Avro) schemas of the lake's tables, {@code posts}, {@code entities} and {@code
 * tombstones} (in SQL: {@code posts_all}, {@code entities_all}, {@code tombstones}), made from
 * their one description in the athena module ({@link LakeTables}: names, types, which columns
 * every row has), so the files and the SQL over them cannot drift apart. Column names are the
 * ones in {@code ../shared/DESIGN.md}. The partition columns {@code dt} and {@code hour} are
 * folder names ({@code dt=2026-11-26/hour=07}), never stored in the files, as Hive, Athena and
 * DuckDB expect.
 *
 * <p>A column every row has is written non-null; any other is a union with null, default null,
 * which is also how a column added after the first lakes reads in their older files. Timestamps
 * are UTC wall-clock values ({@code local-timestamp-millis}): Athena, Trino and DuckDB all read
 * them as plain {@code TIMESTAMP} in UTC, with no session time zone involved.
 */
public final class LakeSchema {
    private LakeSchema() {}

    /** The Avro record name of each table's rows (by folder): kept as the first lakes wrote them. */
    private static final Map<String, String> RECORD_NAMES = Map.of("posts", "post", "entities", "entity", "tombstones", "tombstone");

    public static final Schema POSTS = avro(LakeTables.POSTS);

    /**
     * One row per entity mention ({@link LakeTables#ENTITIES} says what each column holds):
     * {@code char_start}/{@code char_end} are UTF-16 offsets into the post's {@code text}.
     */
    public static final Schema ENTITIES = avro(LakeTables.ENTITIES);

    /**
     * One row per deletion of a post a platform announced. The lake never rewrites files: the
     * {@code posts} and {@code entities} views of the athena module leave out every post that has a
     * row here. Partitioned by the UTC hour of {@code deleted_at}.
     */
    public static final Schema TOMBSTONES = avro(LakeTables.TOMBSTONES);

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

    private static Schema avro(LakeTables.Table table) {
        String name = RECORD_NAMES.get(table.folder());
        if (name == null) {
            throw new IllegalArgumentException("no record name for the table in " + table.folder());
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (LakeTables.Column column : table.columns()) {
            Schema type = avroType(column.hiveType());
            fields.add(column.required()
                    ? new Schema.Field(column.name(), type)
                    : new Schema.Field(column.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                            null, Schema.Field.NULL_DEFAULT_VALUE));
        }
        return Schema.createRecord(name, null, "io.tidings.lake", false, fields);
    }

    private static Schema avroType(String hiveType) {
        return switch (hiveType) {
            case "string" -> Schema.create(Schema.Type.STRING);
            case "bigint" -> Schema.create(Schema.Type.LONG);
            case "int" -> Schema.create(Schema.Type.INT);
            case "double" -> Schema.create(Schema.Type.DOUBLE);
            case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
            case "timestamp" -> LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case "array<string>" -> Schema.createArray(Schema.create(Schema.Type.STRING));
            default -> throw new IllegalArgumentException("no Parquet type for the lake's column type " + hiveType);
        };
    }
}
