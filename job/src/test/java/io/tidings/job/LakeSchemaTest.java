package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeTables;
import io.tidings.job.lake.LakeSchema;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The Parquet files the job writes and the SQL tables the athena module declares must agree. */
class LakeSchemaTest {
    @Test
    void postsAndEntitiesHaveTheColumnsTheSqlDeclares() {
        assertSameColumns(LakeSchema.POSTS, LakeTables.POSTS);
        assertSameColumns(LakeSchema.ENTITIES, LakeTables.ENTITIES);
    }

    @Test
    void tombstonesHaveTheColumnsTheSqlDeclaresInTheirFolder() {
        assertSameColumns(LakeSchema.TOMBSTONES, LakeTables.TOMBSTONES);
        assertThat(LakeTables.TOMBSTONES.folder()).isEqualTo(TidingsJob.TOMBSTONES);
        assertThat(LakeTables.POSTS.folder()).isEqualTo(TidingsJob.POSTS);
        assertThat(LakeTables.ENTITIES.folder()).isEqualTo(TidingsJob.ENTITIES);
        assertThat(LakeSchema.TOMBSTONES.getField("deleted_at").schema().getLogicalType().getName())
                .isEqualTo("local-timestamp-millis");
    }

    private static void assertSameColumns(Schema avro, LakeTables.Table table) {
        List<String> written = avro.getFields().stream().map(f -> f.name() + " " + hiveType(f.schema())).toList();
        List<String> declared = table.columns().stream().map(c -> c.name() + " " + c.hiveType()).toList();
        assertThat(written).isEqualTo(declared);
    }

    private static String hiveType(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        if (schema.getLogicalType() != null && schema.getLogicalType().getName().equals("local-timestamp-millis")) {
            return "timestamp";
        }
        return switch (schema.getType()) {
            case STRING -> "string";
            case LONG -> "bigint";
            case INT -> "int";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array<" + hiveType(schema.getElementType()) + ">";
            default -> throw new IllegalStateException("unmapped " + schema);
        };
    }
}
