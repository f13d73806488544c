package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/timeseries}: volume and sentiment per time bucket, every bucket of the range. */
public final class TimeseriesQuery {
    /** Most points a time series returns; a finer explicit bucket over a long range is refused. */
    static final int MAX_POINTS = 5000;

    /** The answer: the bucket size used (as the request named it when there is no data) and its points. */
    public record Timeseries(String bucket, List<Point> points) {}

    /** One bucket; an empty one has zero counts and a null net sentiment. */
    public record Point(String t, long posts, long negative, long neutral, long positive, long unscored,
            @JsonProperty("net_sentiment") Double netSentiment) {}

    private final LakeDatabase db;

    TimeseriesQuery(LakeDatabase db) {
        this.db = db;
    }

    /** {@code bucketName}: minute, hour, day or auto (≤ ~200 points over the range). */
    Timeseries answer(Filters f, String bucketName) throws SQLException {
        Instant[] range = TimeRange.of(db, f);
        if (range == null) {
            return new Timeseries(bucketName == null || bucketName.equals("auto") ? "hour" : bucketName, List.of());
        }
        TimeRange.Bucket bucket = TimeRange.Bucket.of(bucketName, range);
        List<Map<String, Object>> rows;
        if (bucket != TimeRange.Bucket.MINUTE && f.fitsPostHours()) {
            // Hours and days add up post_hours' counts (a few rows an hour) instead of scanning the posts.
            Filters.Condition c = f.onPostHours("h");
            rows = db.query("SELECT CAST(date_trunc('" + bucket.sqlName() + "', h.t) AS TIMESTAMP) AS t,"
                    + " CAST(sum(h.posts) AS BIGINT) AS posts, " + sumOf("h.sentiment = 'negative'") + " AS negative, "
                    + sumOf("h.sentiment = 'neutral'") + " AS neutral, " + sumOf("h.sentiment = 'positive'") + " AS positive, "
                    + sumOf("h.sentiment IS NULL") + " AS unscored"
                    + " FROM post_hours h WHERE " + c.sql() + " GROUP BY 1 ORDER BY 1", c.params());
        } else {
            Filters.Condition c = f.on("p");
            rows = db.query("SELECT CAST(date_trunc('" + bucket.sqlName() + "', p.created_at) AS TIMESTAMP) AS t,"
                    + " count(*) AS posts, " + Rows.SENTIMENT_COUNTS + ", count(*) - count(p.sentiment) AS unscored"
                    + " FROM posts p WHERE " + c.sql() + " GROUP BY 1 ORDER BY 1", c.params());
        }
        Map<String, Map<String, Object>> byTime = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            byTime.put((String) r.get("t"), r);
        }
        // Every bucket of the range, empty ones as zeros, so a chart's x axis is time and not rows.
        List<Point> points = new ArrayList<>();
        Instant last = bucket.truncate(range[1]);
        for (Instant t = bucket.truncate(range[0]); !t.isAfter(last); t = t.plus(1, bucket.unit)) {
            Map<String, Object> r = byTime.get(t.toString());
            points.add(r == null
                    ? new Point(t.toString(), 0L, 0L, 0L, 0L, 0L, null)
                    : point(t, r));
            if (points.size() > MAX_POINTS) {
                throw ApiException.badRequest("bucket '" + bucket.sqlName() + "' gives more than " + MAX_POINTS
                        + " points over this range; choose a coarser bucket or a shorter range");
            }
        }
        return new Timeseries(bucket.sqlName(), points);
    }

    /** The posts of post_hours' rows that meet {@code condition}, 0 when none do. */
    private static String sumOf(String condition) {
        return "CAST(coalesce(sum(h.posts) FILTER (WHERE " + condition + "), 0) AS BIGINT)";
    }

    /** A bucket's counts, and its net sentiment over the posts scored in it (posts less the unscored). */
    private static Point point(Instant t, Map<String, Object> r) {
        long posts = num(r.get("posts"));
        long negative = num(r.get("negative"));
        long positive = num(r.get("positive"));
        long unscored = num(r.get("unscored"));
        return new Point(t.toString(), posts, negative, num(r.get("neutral")), positive, unscored,
                Rows.netOf(negative, positive, posts - unscored));
    }
}
