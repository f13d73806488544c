package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.records.EntityKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/entity}: one entity's counts, time series, co-occurring entities and newest posts. */
public final class EntityQuery {
    public record Entity(String text, String type, long mentions, long posts, long negative, long neutral, long positive,
            @JsonProperty("net_sentiment") Double netSentiment, TimeseriesQuery.Timeseries timeseries,
            List<Cooccurring> cooccurring, List<PostsQuery.Post> samples) {}

    /** Another entity of the posts that mention this one, with how many of them mention it. */
    public record Cooccurring(String text, String type, long posts) {}

    private final LakeDatabase db;
    private final TimeseriesQuery timeseries;
    private final PostsQuery posts;

    EntityQuery(LakeDatabase db, TimeseriesQuery timeseries, PostsQuery posts) {
        this.db = db;
        this.timeseries = timeseries;
        this.posts = posts;
    }

    /** By its canonical key (case, a leading #/@ and Unicode forms do not matter; type optional) within the filters. */
    Entity answer(Filters f, String text, String type, String bucket) throws SQLException {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("'text' is required");
        }
        String t = type == null || type.isBlank() ? null : type.strip().toUpperCase(Locale.ROOT);
        if (t != null && !Filters.ENTITY_TYPES.contains(t)) {
            throw ApiException.badRequest("type must be PER, ORG, LOC or MISC");
        }
        String folded = EntityKey.of(text);
        Filters withEntity = f.withEntity(text.strip(), t);
        Filters.Condition c = f.on("p");
        List<Object> params = new ArrayList<>(c.params());
        params.add(folded);
        String a = Mentions.alias(f);
        String typeCondition = "";
        if (t != null) {
            typeCondition = " AND " + a + ".type = ?";
            params.add(t);
        }
        String itsMentions = Mentions.where(f) + c.sql() + " AND " + a + ".folded = ?" + typeCondition;
        // Per post first (a post may mention it as two types), then counted: a grouping DuckDB can
        // spill, where four count(DISTINCT …) over a quarter of ten million posts ran out of memory.
        Map<String, Object> head = db.one("SELECT sum(n) AS mentions, count(*) AS posts,"
                + " count_if(sentiment = 'negative') AS negative, count_if(sentiment = 'neutral') AS neutral,"
                + " count_if(sentiment = 'positive') AS positive FROM (SELECT " + a + ".post_id, sum(" + a + ".n) AS n,"
                + " any_value(p.sentiment) AS sentiment FROM " + itsMentions + " GROUP BY " + a + ".post_id)", params);
        head.putAll(db.one("SELECT mode(" + a + ".text) AS text, mode(" + a + ".type) AS type FROM " + itsMentions, params));
        long postCount = num(head.get("posts"));
        if (postCount == 0) {
            throw new ApiException(404, "no posts mention '" + text.strip() + "'" + (t == null ? "" : " as " + t)
                    + " within these filters");
        }
        Filters.Condition withC = withEntity.on("p");
        List<Object> coParams = new ArrayList<>(withC.params());
        coParams.add(folded);
        String sameType = "";
        if (t != null) {
            sameType = " AND e2.type = ?";
            coParams.add(t);
        }
        // The posts that mention it (within the filters), then every other entity of those posts.
        List<Cooccurring> cooccurring = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT mode(e2.text) AS text, e2.type, count(*) AS posts"
                + " FROM mentions e2 WHERE e2.post_id IN (SELECT p.post_id FROM " + Mentions.where(withEntity) + withC.sql() + ")"
                + " AND NOT (e2.folded = ?" + sameType + ")"
                + " GROUP BY e2.folded, e2.type ORDER BY posts DESC, e2.folded, e2.type LIMIT 10", coParams)) {
            cooccurring.add(new Cooccurring(Rows.text(r.get("text")), Rows.text(r.get("type")), num(r.get("posts"))));
        }
        long negative = num(head.get("negative"));
        long neutral = num(head.get("neutral"));
        long positive = num(head.get("positive"));
        return new Entity(Rows.text(head.get("text")), t != null ? t : Rows.text(head.get("type")),
                num(head.get("mentions")), postCount, negative, neutral, positive,
                Rows.netOf(negative, positive, negative + neutral + positive), timeseries.answer(withEntity, bucket),
                cooccurring, posts.answer(withEntity, "time", 10, 0).posts());
    }
}
