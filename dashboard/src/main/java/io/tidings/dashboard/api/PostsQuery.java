package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/posts}: posts with their entities, newest or most engaging first, a page at a time. */
public final class PostsQuery {
    /** The post columns an answer carries (API.md, /api/posts), in the order {@link Post} has them. */
    static final String POST_COLUMNS = "p.post_id, p.platform, p.url, p.created_at, p.author_handle, p.author_name,"
            + " p.author_followers, p.text, p.lang_detected, p.sentiment, p.p_negative, p.p_neutral, p.p_positive,"
            + " p.like_count, p.repost_count, p.reply_count, p.quote_count, p.hashtags, p.matched_rules,"
            + " p.emotion, p.emotion_score, p.offensive, p.offensive_score, p.hate, p.hate_score, p.irony, p.irony_score";
    static final String ENGAGEMENT = "(coalesce(p.like_count, 0) + coalesce(p.repost_count, 0)"
            + " + coalesce(p.reply_count, 0) + coalesce(p.quote_count, 0))";

    public record Posts(long total, int offset, int limit, List<Post> posts) {}

    /**
     * A post as the lake has it. The lake's numbers keep their own type ({@link Number}: a FLOAT
     * score written as a double would print as 0.800000011920929 instead of 0.8), timestamps are
     * ISO-8601 strings (LakeDatabase). Issue 21's signals are null where the post has none (a file
     * written before them, a model without those heads), never false.
     */
    public record Post(@JsonProperty("post_id") String postId, String platform, String url,
            @JsonProperty("created_at") String createdAt, @JsonProperty("author_handle") String authorHandle,
            @JsonProperty("author_name") String authorName, @JsonProperty("author_followers") Number authorFollowers,
            String text, @JsonProperty("lang_detected") String langDetected, String sentiment,
            @JsonProperty("p_negative") Number pNegative, @JsonProperty("p_neutral") Number pNeutral,
            @JsonProperty("p_positive") Number pPositive, @JsonProperty("like_count") Number likeCount,
            @JsonProperty("repost_count") Number repostCount, @JsonProperty("reply_count") Number replyCount,
            @JsonProperty("quote_count") Number quoteCount, List<String> hashtags,
            @JsonProperty("matched_rules") List<String> matchedRules, String emotion,
            @JsonProperty("emotion_score") Number emotionScore, Boolean offensive,
            @JsonProperty("offensive_score") Number offensiveScore, Boolean hate, @JsonProperty("hate_score") Number hateScore,
            Boolean irony, @JsonProperty("irony_score") Number ironyScore, List<PostEntity> entities) {

        static Post of(Map<String, Object> r, List<PostEntity> entities) {
            return new Post(Rows.text(r.get("post_id")), Rows.text(r.get("platform")), Rows.text(r.get("url")),
                    Rows.text(r.get("created_at")), Rows.text(r.get("author_handle")), Rows.text(r.get("author_name")),
                    (Number) r.get("author_followers"), Rows.text(r.get("text")), Rows.text(r.get("lang_detected")),
                    Rows.text(r.get("sentiment")), (Number) r.get("p_negative"), (Number) r.get("p_neutral"),
                    (Number) r.get("p_positive"), (Number) r.get("like_count"), (Number) r.get("repost_count"),
                    (Number) r.get("reply_count"), (Number) r.get("quote_count"), strings(r.get("hashtags")),
                    strings(r.get("matched_rules")), Rows.text(r.get("emotion")), (Number) r.get("emotion_score"),
                    (Boolean) r.get("offensive"), (Number) r.get("offensive_score"), (Boolean) r.get("hate"),
                    (Number) r.get("hate_score"), (Boolean) r.get("irony"), (Number) r.get("irony_score"), entities);
        }
    }

    /** An entity of a post: its span in the post's text in UTF-16 code units (what the page highlights). */
    public record PostEntity(String text, String type, @JsonProperty("char_start") Number charStart,
            @JsonProperty("char_end") Number charEnd, Number score) {}

    private final LakeDatabase db;

    PostsQuery(LakeDatabase db) {
        this.db = db;
    }

    /** {@code sort}: time (newest first) or engagement (likes + reposts + replies + quotes, highest first). */
    Posts answer(Filters f, String sort, int limit, int offset) throws SQLException {
        String order = switch (sort == null ? "time" : sort) {
            case "time" -> "p.created_at DESC, p.post_id";
            case "engagement" -> ENGAGEMENT + " DESC, p.created_at DESC, p.post_id";
            default -> throw ApiException.badRequest("sort must be time or engagement");
        };
        long total;
        if (f.fitsPostHours()) {
            // post_hours counts the same posts, a few rows an hour instead of every post.
            Filters.Condition h = f.onPostHours("h");
            total = num(db.one("SELECT sum(h.posts) AS n FROM post_hours h WHERE " + h.sql(), h.params()).get("n"));
            if (sort == null || sort.equals("time")) {
                f = f.withRange(newestHoursHolding(f, offset + limit), f.to());
            }
        } else {
            Filters.Condition c = f.on("p");
            total = num(db.one("SELECT count(*) AS n FROM posts p WHERE " + c.sql(), c.params()).get("n"));
        }
        Filters.Condition c = f.on("p");
        List<Object> params = new ArrayList<>(c.params());
        params.add(limit);
        params.add(offset);
        List<Map<String, Object>> rows = db.query("SELECT p.dt, " + POST_COLUMNS + " FROM posts p WHERE " + c.sql()
                + " ORDER BY " + order + " LIMIT ? OFFSET ?", params);
        Map<Object, List<PostEntity>> entities = entities(rows);
        List<Post> posts = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            posts.add(Post.of(r, entities.get(r.get("post_id"))));
        }
        return new Posts(total, offset, limit, posts);
    }

    /**
     * Where the newest {@code n} posts within the filters begin: the latest hour from which on
     * post_hours counts at least {@code n} of them (the filters' own start when it counts fewer),
     * so the page is sorted out of those hours' posts, not out of every post.
     */
    private Instant newestHoursHolding(Filters f, long n) throws SQLException {
        Filters.Condition h = f.onPostHours("h");
        List<Object> params = new ArrayList<>(h.params());
        params.add(n);
        Object hour = db.one("SELECT max(t) AS t FROM (SELECT h.t, sum(sum(h.posts)) OVER (ORDER BY h.t DESC) AS newer"
                + " FROM post_hours h WHERE " + h.sql() + " GROUP BY h.t) WHERE newer >= ?", params).get("t");
        return hour == null ? f.from() : Instant.parse((String) hour);
    }

    /** Each post's entities (an empty list for none), by post id. */
    private Map<Object, List<PostEntity>> entities(List<Map<String, Object>> posts) throws SQLException {
        Map<Object, List<PostEntity>> byPost = new LinkedHashMap<>();
        for (Map<String, Object> p : posts) {
            byPost.put(p.get("post_id"), new ArrayList<>());
        }
        if (posts.isEmpty()) {
            return byPost;
        }
        // The page's posts are few: their days bound the rows read (DuckDB skips row groups by dt).
        List<Object> days = posts.stream().map(p -> p.get("dt")).distinct().toList();
        List<Object> params = new ArrayList<>(days);
        params.addAll(byPost.keySet());
        for (Map<String, Object> r : db.query("SELECT post_id, text, type, char_start, char_end, score FROM entities"
                + " WHERE dt IN (" + String.join(", ", Collections.nCopies(days.size(), "CAST(? AS DATE)")) + ")"
                + " AND post_id IN (" + Filters.placeholders(byPost.size()) + ") ORDER BY post_id, char_start", params)) {
            byPost.get(r.get("post_id")).add(new PostEntity(Rows.text(r.get("text")), Rows.text(r.get("type")),
                    (Number) r.get("char_start"), (Number) r.get("char_end"), (Number) r.get("score")));
        }
        return byPost;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        // LakeDatabase gives a VARCHAR[] as a list of strings (or null).
        return (List<String>) list;
    }
}
