package io.tidings.job.rescore;

import io.tidings.athena.LakeTables;
import io.tidings.job.lake.LakeSchema;
import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Reading the lake's own {@code posts} rows back: the schema to read every file with, whichever
 * columns it was written with, and a row turned back into the {@link Post} that made it.
 */
public final class LakePosts {
    private LakePosts() {}

    /**
     * {@link LakeSchema#POSTS} with a default for every required column added after the first lakes
     * ({@link LakeTables.Column#addedLater()}: {@code created_at_derived} false, {@code mention_dids}
     * empty; the columns that may be null already default to null): a file written before them reads
     * with those values instead of failing. A required column of the first lakes gets none, so a
     * file without it is an error (parquet-avro names the field) rather than a row of made-up values.
     */
    public static final Schema READ = withDefaults(LakeSchema.POSTS, LakeTables.POSTS);

    static Schema withDefaults(Schema schema, LakeTables.Table table) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            LakeTables.Column column = table.columns().stream().filter(c -> c.name().equals(f.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the Parquet schema's column " + f.name() + " is not in " + table.name()));
            fields.add(column.required() && column.addedLater()
                    ? new Schema.Field(f.name(), f.schema(), f.doc(), olderFilesValue(column))
                    : new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** What a file written before a required column was added holds in it: the type's empty value. */
    private static Object olderFilesValue(LakeTables.Column column) {
        return switch (column.hiveType()) {
            case "boolean" -> false;
            case "array<string>" -> List.of();
            default -> throw new IllegalStateException("the required column " + column.name() + " was added after the first lakes,"
                    + " but its type " + column.hiveType() + " has no empty value for the files written before it: make it nullable");
        };
    }

    /** The post a {@code posts} row holds, its model fields as the row has them (entities are not in the row). */
    public static Post post(GenericRecord r) {
        Post p = new Post();
        p.postId = string(r, "post_id");
        p.platform = string(r, "platform");
        p.nativeId = string(r, "native_id");
        p.url = string(r, "url");
        p.createdAt = (Long) r.get("created_at");
        p.ingestedAt = (Long) r.get("ingested_at");
        p.authorId = string(r, "author_id");
        p.authorHandle = string(r, "author_handle");
        p.authorName = string(r, "author_name");
        p.authorFollowers = (Long) r.get("author_followers");
        p.authorLocation = string(r, "author_location");
        p.text = string(r, "text");
        p.kind = string(r, "kind");
        p.replyToId = string(r, "reply_to_id");
        p.quoteOfId = string(r, "quote_of_id");
        p.repostOfId = string(r, "repost_of_id");
        p.likeCount = (Long) r.get("like_count");
        p.repostCount = (Long) r.get("repost_count");
        p.replyCount = (Long) r.get("reply_count");
        p.quoteCount = (Long) r.get("quote_count");
        p.hashtags = strings(r, "hashtags");
        p.mentions = strings(r, "mentions");
        p.urls = strings(r, "urls");
        p.cashtags = strings(r, "cashtags");
        p.lang = string(r, "lang");
        p.langDetected = string(r, "lang_detected");
        p.langConfidence = (Double) r.get("lang_confidence");
        p.geo = string(r, "geo");
        p.matchedRules = strings(r, "matched_rules");
        p.sentiment = string(r, "sentiment");
        p.sentimentScore = (Double) r.get("sentiment_score");
        p.pNegative = (Double) r.get("p_negative");
        p.pNeutral = (Double) r.get("p_neutral");
        p.pPositive = (Double) r.get("p_positive");
        p.modelVersion = string(r, "model_version");
        Object derived = r.get("created_at_derived");
        p.createdAtDerived = derived instanceof Boolean b && b;
        p.mentionDids = strings(r, "mention_dids");
        p.editedAt = (Long) r.get("edited_at");
        p.emotion = string(r, "emotion");
        p.emotionScore = (Double) r.get("emotion_score");
        p.offensive = (Boolean) r.get("offensive");
        p.offensiveScore = (Double) r.get("offensive_score");
        p.hate = (Boolean) r.get("hate");
        p.hateScore = (Double) r.get("hate_score");
        p.irony = (Boolean) r.get("irony");
        p.ironyScore = (Double) r.get("irony_score");
        return p;
    }

    /**
     * Which of issue 21's signals a post holds, by the key of the model head that gives each
     * ({@link io.tidings.models.ModelConfig#SIGNAL_LABELS}: emotion, hate, irony, offensive) and in
     * that order: a signal is held when its label or its score is set. A row written before them, or
     * scored by a model without those heads, holds none; one scored by a model with some of the heads
     * (a config that lists only emotion) holds those.
     */
    public static Set<String> signals(Post p) {
        Set<String> held = new LinkedHashSet<>();
        if (p.emotion != null || p.emotionScore != null) {
            held.add("emotion");
        }
        if (p.hate != null || p.hateScore != null) {
            held.add("hate");
        }
        if (p.irony != null || p.ironyScore != null) {
            held.add("irony");
        }
        if (p.offensive != null || p.offensiveScore != null) {
            held.add("offensive");
        }
        return held;
    }

    /** Whether a post holds any of issue 21's signals ({@link #signals}). */
    public static boolean hasSignals(Post p) {
        return !signals(p).isEmpty();
    }

    /** The version of the post a row is: {@code coalesce(edited_at, created_at)}, as the views order them. */
    static long version(GenericRecord r) {
        Object edited = r.get("edited_at");
        return edited != null ? (Long) edited : (Long) r.get("created_at");
    }

    /** When the row was scored: {@code coalesce(scored_at, ingested_at)}, as the views order a version's rows. */
    static long scoredAt(GenericRecord r) {
        Object scored = r.get("scored_at");
        return scored != null ? (Long) scored : (Long) r.get("ingested_at");
    }

    private static String string(GenericRecord r, String field) {
        Object value = r.get(field);
        return value == null ? null : value.toString();
    }

    private static String[] strings(GenericRecord r, String field) {
        Object value = r.get(field);
        if (!(value instanceof Collection<?> values)) {
            return new String[0];
        }
        return values.stream().map(v -> v == null ? null : v.toString()).toArray(String[]::new);
    }
}
