package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/entities}: the most mentioned entities with their sentiment split and a trend. */
public final class EntitiesQuery {
    static final int TREND_BUCKETS = 12;

    public record Entities(List<Entity> entities) {}

    /** One entity; {@code trend}: its mentions in each of {@link #TREND_BUCKETS} equal slices of the range. */
    public record Entity(String text, String type, long mentions, long posts, long negative, long neutral, long positive,
            @JsonProperty("net_sentiment") Double netSentiment, List<Long> trend) {}

    private final LakeDatabase db;

    EntitiesQuery(LakeDatabase db) {
        this.db = db;
    }

    /** {@code type}: PER, ORG, LOC, MISC or blank for all. */
    Entities answer(Filters f, String type, int limit) throws SQLException {
        Filters.Condition c = f.on("p");
        String a = Mentions.alias(f);
        String typeCondition = "";
        String entityType = null;
        if (type != null && !type.isBlank()) {
            entityType = type.strip().toUpperCase(Locale.ROOT);
            if (!Filters.ENTITY_TYPES.contains(entityType)) {
                throw ApiException.badRequest("type must be PER, ORG, LOC or MISC");
            }
            typeCondition = " AND " + a + ".type = ?";
        }
        Instant[] range = TimeRange.of(db, f);
        if (range == null) {
            return new Entities(List.of());
        }
        double start = range[0].toEpochMilli() / 1000.0;
        double width = Math.max(1.0, (range[1].toEpochMilli() - range[0].toEpochMilli()) / 1000.0 / TREND_BUCKETS);
        List<Object> params = new ArrayList<>();
        params.add(start);
        params.add(width);
        params.addAll(c.params());
        if (entityType != null) {
            params.add(entityType);
        }
        params.add(limit);
        // One pass over mentions (one row per (entity, post), so counting posts is a plain count)
        // grouped by entity and trend bucket, rolled up per entity; the spelling shown is the
        // entity's most common one in the lake (entity_names), looked up for the top ones only.
        List<Map<String, Object>> top = db.query("WITH g AS ("
                + "   SELECT " + a + ".folded, " + a + ".type,"
                + "     least(" + (TREND_BUCKETS - 1) + ", greatest(0, CAST(floor((epoch(" + a + ".created_at) - ?) / ?) AS INTEGER))) AS b,"
                + "     sum(" + a + ".n) AS mentions, count(*) AS posts, count_if(p.sentiment = 'negative') AS negative,"
                + "     count_if(p.sentiment = 'neutral') AS neutral, count_if(p.sentiment = 'positive') AS positive"
                + "   FROM " + Mentions.where(f) + c.sql() + typeCondition + " GROUP BY 1, 2, 3),"
                + " top AS (SELECT folded, type, sum(mentions) AS mentions, sum(posts) AS posts, sum(negative) AS negative,"
                + "   sum(neutral) AS neutral, sum(positive) AS positive, list([b, mentions]) AS trend"
                + "   FROM g GROUP BY 1, 2 ORDER BY mentions DESC, folded, type LIMIT ?)"
                + " SELECT top.*, coalesce(n.text, top.folded) AS text FROM top LEFT JOIN entity_names n USING (folded, type)"
                + " ORDER BY top.mentions DESC, top.folded, top.type", params);
        List<Entity> entities = new ArrayList<>();
        for (Map<String, Object> r : top) {
            long negative = num(r.get("negative"));
            long neutral = num(r.get("neutral"));
            long positive = num(r.get("positive"));
            long[] trend = new long[TREND_BUCKETS];
            if (r.get("trend") instanceof List<?> pairs) {
                for (Object pair : pairs) {
                    List<?> bn = (List<?>) pair;
                    trend[((Number) bn.get(0)).intValue()] += ((Number) bn.get(1)).longValue();
                }
            }
            entities.add(new Entity(Rows.text(r.get("text")), Rows.text(r.get("type")), num(r.get("mentions")),
                    num(r.get("posts")), negative, neutral, positive,
                    Rows.netOf(negative, positive, negative + neutral + positive), Arrays.stream(trend).boxed().toList()));
        }
        return new Entities(entities);
    }
}
