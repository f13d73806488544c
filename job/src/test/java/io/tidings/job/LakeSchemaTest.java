package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeTables;
import io.tidings.job.lake.LakeSchema;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Parquet files the job writes and the SQL tables the athena module declares must agree. */
class LakeSchemaTest {
    /**
     * The schemas made from {@link LakeTables} are, to the byte, the ones the lakes and checkpoints
     * written so far carry (the golden files were dumped from the hand-written schemas they
     * replaced): a change to the description that changes the files shows here first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"posts", "entities", "tombstones"})
    void theSchemasAreTheOnesEveryLakeWasWrittenWith(String folder) throws Exception {
        Schema schema = LakeTables.ALL.stream().filter(t -> t.folder().equals(folder)).map(LakeSchema::of).findFirst().orElseThrow();
        try (var golden = LakeSchemaTest.class.getResourceAsStream("/lake-schema/" + folder + ".avsc")) {
            assertThat(schema).isEqualTo(new Schema.Parser().parse(golden));
        }
    }

    @Test
    void requiredColumnsAreNonNullAndEveryOtherDefaultsToNull() {
        for (LakeTables.Table table : LakeTables.ALL) {
            Schema schema = LakeSchema.of(table);
            for (LakeTables.Column column : table.columns()) {
                Schema.Field field = schema.getField(column.name());
                assertThat(field.schema().isNullable()).as(table.name() + "." + column.name()).isEqualTo(!column.required());
                if (!column.required()) {
                    assertThat(field.defaultVal()).as(table.name() + "." + column.name()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
                }
            }
        }
    }

    /** Files of older lakes lack the columns added later: those come after every column of the first lakes. */
    @Test
    void columnsAddedLaterAreLast() {
        for (LakeTables.Table table : LakeTables.ALL) {
            List<Boolean> later = table.columns().stream().map(LakeTables.Column::addedLater).toList();
            assertThat(later).as(table.name()).isSortedAccordingTo(Boolean::compare);
        }
    }

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
