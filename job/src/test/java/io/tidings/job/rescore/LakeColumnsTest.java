package io.tidings.job.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LakeTables;
import io.tidings.job.lake.LakeRows;
import io.tidings.job.lake.LakeSchema;
import io.tidings.job.lake.ParquetRowWriters;
import io.tidings.models.ModelConfig;
import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import io.tidings.records.Tombstone;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.apache.flink.core.fs.local.LocalDataOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every column of {@link LakeTables} is written by {@link LakeRows} and carried by the rescore's
 * reader ({@link LakePosts}): a column added to the description but not to the code that fills it
 * would otherwise be silently null in every new row, and a rescore would write the rows the views
 * then show without it.
 */
class LakeColumnsTest {
    /** When the rescore scored the row again (epoch ms): a value for {@code scored_at}, which no Post field holds. */
    private static final long SCORED_AT = 1_764_000_000_123L;

    @TempDir
    Path dir;

    @Test
    void everyPostsColumnHoldsThePostsFieldOfItsName() {
        Post post = fullPost();
        GenericRecord row = LakeRows.postRow(post, SCORED_AT);
        for (LakeTables.Column column : LakeTables.POSTS.columns()) {
            Object value = row.get(column.name());
            assertThat(value).as("posts." + column.name() + " of a post with every field set").isNotNull();
            if (value instanceof Collection<?> list) {
                assertThat(list).as("posts." + column.name()).isNotEmpty();
            }
            if (column.name().equals("scored_at")) {
                assertThat(value).isEqualTo(SCORED_AT);
                continue;
            }
            // Every other column is the Post field of the same name in camel case: holding that
            // field's value (not a neighbour's) is what a column mapped by hand can get wrong.
            Object field = fieldValue(post, camelCase(column.name()));
            assertThat(value).as("posts." + column.name()).isEqualTo(field instanceof String[] a ? Arrays.asList(a) : field);
        }
    }

    @Test
    void everyEntitiesAndTombstonesColumnIsWritten() {
        Post post = fullPost();
        List<GenericRecord> mentions = LakeRows.entityRows(post, SCORED_AT);
        assertThat(mentions).hasSize(post.entities.length);
        for (LakeTables.Column column : LakeTables.ENTITIES.columns()) {
            assertThat(mentions.get(0).get(column.name())).as("entities." + column.name()).isNotNull();
        }
        GenericRecord tombstone = LakeRows.tombstoneRow(new Tombstone("x:1", 1_764_000_000_000L, "file:deletes.jsonl"));
        for (LakeTables.Column column : LakeTables.TOMBSTONES.columns()) {
            assertThat(tombstone.get(column.name())).as("tombstones." + column.name()).isNotNull();
        }
    }

    /**
     * A row written to Parquet as the job writes it, read back by the rescore's reader into a Post,
     * and written again (as the rescore does) is the same row, column by column.
     */
    @Test
    void aRowReadBackByTheRescoreIsWrittenAgainWithEveryColumn() throws Exception {
        GenericRecord written = LakeRows.postRow(fullPost(), SCORED_AT);
        File file = write(LakeSchema.POSTS, List.of(written));
        GenericRecord read = readBack(file);
        GenericRecord rewritten = LakeRows.postRow(LakePosts.post(read), LakePosts.scoredAt(read));
        for (LakeTables.Column column : LakeTables.POSTS.columns()) {
            // Compared as Avro compares values: text read back is Utf8, written text is String.
            Schema.Field field = LakeSchema.POSTS.getField(column.name());
            assertThat(GenericData.get().compare(written.get(column.name()), rewritten.get(column.name()), field.schema()))
                    .as("posts." + column.name() + ": " + written.get(column.name()) + " became " + rewritten.get(column.name()))
                    .isZero();
        }
    }

    /** A file of the first lakes (no column added later) reads with the required later columns' empty values. */
    @Test
    void aFileOfTheFirstLakesReadsWithTheLaterColumnsEmpty() throws Exception {
        Schema first = Schema.createRecord(LakeSchema.POSTS.getName(), null, LakeSchema.POSTS.getNamespace(), false,
                LakeTables.POSTS.columns().stream().filter(c -> !c.addedLater())
                        .map(c -> new Schema.Field(LakeSchema.POSTS.getField(c.name()), LakeSchema.POSTS.getField(c.name()).schema()))
                        .toList());
        assertThat(first.getFields()).hasSizeLessThan(LakeSchema.POSTS.getFields().size());
        GenericRecord full = LakeRows.postRow(fullPost(), SCORED_AT);
        GenericData.Record old = new GenericData.Record(first);
        first.getFields().forEach(f -> old.put(f.name(), full.get(f.name())));

        GenericRecord read = readBack(write(first, List.of(old)));
        assertThat(read.get("created_at_derived")).isEqualTo(false);
        assertThat((Collection<?>) read.get("mention_dids")).isEmpty();
        assertThat(read.get("edited_at")).isNull();
        assertThat(read.get("scored_at")).isNull();
        for (String signal : List.of("emotion", "emotion_score", "offensive", "offensive_score", "hate", "hate_score", "irony",
                "irony_score")) {
            assertThat(read.get(signal)).as(signal).isNull();
        }
        assertThat(read.get("text").toString()).isEqualTo(full.get("text"));
        Post post = LakePosts.post(read);
        assertThat(post.createdAtDerived).isFalse();
        assertThat(post.mentionDids).isEmpty();
        assertThat(post.emotion).isNull();
        assertThat(post.offensive).isNull();
        assertThat(post.ironyScore).isNull();
        assertThat(LakePosts.hasSignals(post)).isFalse();
        assertThat(LakePosts.hasSignals(LakePosts.post(full))).isTrue();
    }

    /**
     * A row's signals are told apart one by one, each by its label or its score, by the keys of the
     * model heads that give them: a head added to the models but not read back here would leave every
     * row of the model's version short of it, and each rescore would score them all again.
     */
    @Test
    void aRowsSignalsAreTheModelHeadsItHasALabelOrAScoreOf() throws Exception {
        GenericRecord read = readBack(write(LakeSchema.POSTS, List.of(LakeRows.postRow(fullPost(), SCORED_AT))));
        assertThat(LakePosts.signals(LakePosts.post(read))).containsExactlyElementsOf(ModelConfig.SIGNAL_LABELS.keySet());

        Post emotionOnly = new Post();
        emotionOnly.emotion = "joy";
        assertThat(LakePosts.signals(emotionOnly)).containsExactly("emotion");
        Post scoresOnly = new Post();
        scoresOnly.offensiveScore = 0.4;
        scoresOnly.ironyScore = 0.6;
        assertThat(LakePosts.signals(scoresOnly)).containsExactly("irony", "offensive");
        Post labelOnly = new Post();
        labelOnly.hate = false;
        assertThat(LakePosts.signals(labelOnly)).as("a false label is a label").containsExactly("hate");
        assertThat(LakePosts.signals(new Post())).isEmpty();
        assertThat(LakePosts.hasSignals(new Post())).isFalse();
        assertThat(LakePosts.hasSignals(labelOnly)).isTrue();
    }

    /** The defaults come from LakeTables: required columns added later get one, those of the first lakes none. */
    @Test
    void onlyTheRequiredColumnsAddedLaterHaveADefault() {
        for (LakeTables.Column column : LakeTables.POSTS.columns()) {
            Schema.Field field = LakePosts.READ.getField(column.name());
            assertThat(field.hasDefaultValue()).as(column.name()).isEqualTo(!column.required() || column.addedLater());
        }
        assertThat(LakePosts.READ.getFields()).hasSameSizeAs(LakeSchema.POSTS.getFields());
    }

    @Test
    void aRequiredColumnAddedLaterWithoutAnEmptyValueIsRefused() {
        LakeTables.Table table = new LakeTables.Table("t", List.of(LakeTables.Column.required("topic", "string").asAddedLater()));
        Schema schema = Schema.createRecord("t", null, "test", false,
                List.of(new Schema.Field("topic", Schema.create(Schema.Type.STRING))));
        assertThatThrownBy(() -> LakePosts.withDefaults(schema, table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic").hasMessageContaining("make it nullable");
    }

    /**
     * A post with every field set, each to a value of its own (so a column holding a neighbour's
     * field shows), filled by reflection so that a field added to Post is set here too.
     */
    static Post fullPost() {
        Post p = new Post();
        int i = 0;
        for (Field f : Post.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            i++;
            Class<?> type = f.getType();
            Object value;
            if (type == String.class) {
                value = f.getName() + "-value";
            } else if (type == long.class || type == Long.class) {
                value = 1_764_000_000_000L + i * 1000L;
            } else if (type == Double.class || type == double.class) {
                value = i / 100.0;
            } else if (type == boolean.class || type == Boolean.class) {
                value = true;
            } else if (type == String[].class) {
                value = new String[] {f.getName() + "-1", f.getName() + "-2"};
            } else if (type == EntityMention[].class) {
                value = new EntityMention[] {new EntityMention("Berlin", "LOC", 0, 6, 0.9)};
            } else {
                throw new IllegalStateException("LakeColumnsTest cannot fill Post." + f.getName() + " of type " + type
                        + ": give it a value here");
            }
            try {
                f.set(p, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    private static Object fieldValue(Post post, String name) {
        try {
            return Post.class.getField(name).get(post);
        } catch (NoSuchFieldException e) {
            throw new AssertionError("posts column has no Post field " + name + " to take its value from", e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String camelCase(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Rows written as the job's Parquet sink writes them ({@link ParquetRowWriters}). */
    private File write(Schema schema, List<GenericRecord> rows) throws Exception {
        File file = dir.resolve("part-" + System.nanoTime() + ".parquet").toFile();
        try (LocalDataOutputStream out = new LocalDataOutputStream(file)) {
            BulkWriter<GenericRecord> writer = ParquetRowWriters.forSchema(schema).create(out);
            for (GenericRecord row : rows) {
                writer.addElement(row);
            }
            writer.finish();
        }
        return file;
    }

    /** The file's rows as the rescore reads them ({@link LakeParquetFormat}); one expected. */
    private static GenericRecord readBack(File file) throws Exception {
        List<GenericRecord> rows = new ArrayList<>();
        try (StreamFormat.Reader<GenericRecord> reader = new LakeParquetFormat()
                .createReader(new Configuration(), new LocalDataInputStream(file), file.length(), file.length())) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(r);
            }
        }
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
