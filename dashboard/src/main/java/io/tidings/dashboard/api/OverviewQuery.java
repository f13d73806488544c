package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.util.Map;

/** {@code GET /api/overview}: the headline numbers of the posts within the filters. */
public final class OverviewQuery {
    /** The answer; Jackson writes the fields in this order. */
    public record Overview(long posts, long authors, long scored, long negative, long neutral, long positive,
            @JsonProperty("net_sentiment") Double netSentiment, long reach, String first, String last,
            @JsonProperty("lake_version") String lakeVersion) {}

    private final LakeDatabase db;

    OverviewQuery(LakeDatabase db) {
        this.db = db;
    }

    Overview answer(Filters f, String lakeVersion) throws SQLException {
        Filters.Condition c = f.on("p");
        // One pass: per author first, so reach counts each author's followers once.
        Map<String, Object> row = db.one("SELECT sum(n) AS posts, count(author_id) AS authors, sum(scored) AS scored,"
                + " sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive,"
                + " sum(followers) AS reach, min(first) AS first, max(last) AS last FROM ("
                + "   SELECT p.author_id, count(*) AS n, count(p.sentiment) AS scored, " + Rows.SENTIMENT_COUNTS + ","
                + "     max(p.author_followers) AS followers, min(p.created_at) AS first, max(p.created_at) AS last"
                + "   FROM posts p WHERE " + c.sql() + " GROUP BY p.author_id)", c.params());
        return new Overview(num(row.get("posts")), num(row.get("authors")), num(row.get("scored")),
                num(row.get("negative")), num(row.get("neutral")), num(row.get("positive")), Rows.net(row),
                num(row.get("reach")), Rows.text(row.get("first")), Rows.text(row.get("last")), lakeVersion);
    }
}
