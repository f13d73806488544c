package io.tidings.job.lake;

import io.tidings.records.EntityKey;
import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import io.tidings.records.Tombstone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Turns enriched posts into rows of the lake's {@code posts} and {@code entities} tables, deletions into {@code tombstones} rows. */
public final class LakeRows {
    private LakeRows() {}

    public static GenericRecord postRow(Post p) {
        return postRow(p, null);
    }

    /**
     * The post's row; {@code scoredAt} (epoch ms) when a rescore scored it again, null for a post
     * scored as it was read.
     */
    public static GenericRecord postRow(Post p, Long scoredAt) {
        GenericData.Record r = new GenericData.Record(LakeSchema.POSTS);
        r.put("post_id", p.postId);
        r.put("platform", p.platform);
        r.put("native_id", p.nativeId);
        r.put("url", p.url);
        r.put("created_at", p.createdAt);
        r.put("ingested_at", p.ingestedAt);
        r.put("author_id", p.authorId);
        r.put("author_handle", p.authorHandle);
        r.put("author_name", p.authorName);
        r.put("author_followers", p.authorFollowers);
        r.put("author_location", p.authorLocation);
        r.put("text", p.text);
        r.put("kind", p.kind);
        r.put("reply_to_id", p.replyToId);
        r.put("quote_of_id", p.quoteOfId);
        r.put("repost_of_id", p.repostOfId);
        r.put("like_count", p.likeCount);
        r.put("repost_count", p.repostCount);
        r.put("reply_count", p.replyCount);
        r.put("quote_count", p.quoteCount);
        r.put("hashtags", list(p.hashtags));
        r.put("mentions", list(p.mentions));
        r.put("urls", list(p.urls));
        r.put("cashtags", list(p.cashtags));
        r.put("lang", p.lang);
        r.put("lang_detected", p.langDetected);
        r.put("lang_confidence", p.langConfidence);
        r.put("geo", p.geo);
        r.put("matched_rules", list(p.matchedRules));
        r.put("sentiment", p.sentiment);
        r.put("sentiment_score", p.sentimentScore);
        r.put("p_negative", p.pNegative);
        r.put("p_neutral", p.pNeutral);
        r.put("p_positive", p.pPositive);
        r.put("model_version", p.modelVersion);
        r.put("created_at_derived", p.createdAtDerived);
        r.put("mention_dids", list(p.mentionDids));
        r.put("edited_at", p.editedAt);
        r.put("scored_at", scoredAt);
        r.put("emotion", p.emotion);
        r.put("emotion_score", p.emotionScore);
        r.put("offensive", p.offensive);
        r.put("offensive_score", p.offensiveScore);
        r.put("hate", p.hate);
        r.put("hate_score", p.hateScore);
        r.put("irony", p.irony);
        r.put("irony_score", p.ironyScore);
        return r;
    }

    public static GenericRecord tombstoneRow(Tombstone t) {
        GenericData.Record r = new GenericData.Record(LakeSchema.TOMBSTONES);
        r.put("post_id", t.postId);
        r.put("platform", t.platform);
        r.put("deleted_at", t.deletedAt);
        r.put("source", t.source);
        return r;
    }

    public static List<GenericRecord> entityRows(Post p) {
        return entityRows(p, null);
    }

    /** The post's mentions, tied to its row of {@link #postRow(Post, Long)} with the same {@code scoredAt}. */
    public static List<GenericRecord> entityRows(Post p, Long scoredAt) {
        if (p.entities == null || p.entities.length == 0) {
            return List.of();
        }
        List<GenericRecord> rows = new ArrayList<>(p.entities.length);
        for (EntityMention e : p.entities) {
            GenericData.Record r = new GenericData.Record(LakeSchema.ENTITIES);
            r.put("post_id", p.postId);
            r.put("created_at", p.createdAt);
            r.put("text", e.text);
            r.put("type", e.type);
            r.put("char_start", e.start);
            r.put("char_end", e.end);
            r.put("score", e.score);
            r.put("model_version", p.modelVersion);
            r.put("text_key", EntityKey.of(e.text));
            r.put("edited_at", p.editedAt);
            r.put("ingested_at", p.ingestedAt);
            r.put("scored_at", scoredAt);
            rows.add(r);
        }
        return rows;
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
