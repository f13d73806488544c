package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code GET /api/overview}: the headline numbers of the posts within the filters. */
public final class OverviewQuery {
    /** The answer; Jackson writes the fields in this order. */
    public record Overview(long posts, long authors, long scored, long negative, long neutral, long positive,
            @JsonProperty("net_sentiment") Double netSentiment, long reach, String first, String last,
            @JsonProperty("lake_version") String lakeVersion) {}

    /** The columns of one row per author, whichever table they come from. */
    private static final String PER_AUTHOR = "author_id, sum(n) AS n, sum(scored) AS scored, sum(negative) AS negative,"
            + " sum(neutral) AS neutral, sum(positive) AS positive, max(followers) AS followers, min(first) AS first,"
            + " max(last) AS last";

    private final LakeDatabase db;

    OverviewQuery(LakeDatabase db) {
        this.db = db;
    }

    Overview answer(Filters f, String lakeVersion) throws SQLException {
        List<Object> params = new ArrayList<>();
        // Per author first, so reach counts each author's followers once.
        Map<String, Object> row = db.one("SELECT sum(n) AS posts, count(author_id) AS authors, sum(scored) AS scored,"
                + " sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive,"
                + " sum(followers) AS reach, min(first) AS first, max(last) AS last FROM (" + perAuthor(f, params) + ")", params);
        return new Overview(num(row.get("posts")), num(row.get("authors")), num(row.get("scored")),
                num(row.get("negative")), num(row.get("neutral")), num(row.get("positive")), Rows.net(row),
                num(row.get("reach")), Rows.text(row.get("first")), Rows.text(row.get("last")), lakeVersion);
    }

    /**
     * One row per author of the posts within the filters. Distinct authors do not add up per hour,
     * so when the filters allow it the whole lake comes from {@code author_totals} (a row per
     * author), a range's whole days from {@code author_days} (a row per author a day), and only the
     * hours before the first whole day and after the last from the posts; otherwise every post in
     * the range is read.
     */
    private static String perAuthor(Filters f, List<Object> params) {
        LocalDate fromDay = f.from() == null ? null : dayOnOrAfter(f.from());
        LocalDate toDay = f.to() == null ? null : LocalDate.ofInstant(f.to(), ZoneOffset.UTC);
        if (!f.fitsAuthorDays() || (fromDay != null && toDay != null && !fromDay.isBefore(toDay))) {
            return fromPosts(f, params);
        }
        List<String> parts = new ArrayList<>();
        Filters.Condition days = f.onAuthorDays("a", fromDay, toDay);
        // No range at all: the whole lake's totals per author, a row per author instead of one a day.
        parts.add("SELECT author_id, posts AS n, scored, negative, neutral, positive, followers, first, last"
                + " FROM " + (f.from() == null && f.to() == null ? "author_totals" : "author_days") + " a WHERE " + days.sql());
        params.addAll(days.params());
        if (fromDay != null && !f.from().equals(midnight(fromDay))) {
            parts.add(fromPosts(f.withRange(f.from(), midnight(fromDay)), params));
        }
        if (toDay != null && !f.to().equals(midnight(toDay))) {
            parts.add(fromPosts(f.withRange(midnight(toDay), f.to()), params));
        }
        return "SELECT " + PER_AUTHOR + " FROM (" + String.join(" UNION ALL ", parts) + ") GROUP BY author_id";
    }

    /** {@link #perAuthor} from the posts themselves. */
    private static String fromPosts(Filters f, List<Object> params) {
        Filters.Condition c = f.on("p");
        params.addAll(c.params());
        return "SELECT p.author_id, count(*) AS n, count(p.sentiment) AS scored, " + Rows.SENTIMENT_COUNTS + ","
                + " max(p.author_followers) AS followers, min(p.created_at) AS first, max(p.created_at) AS last"
                + " FROM posts p WHERE " + c.sql() + " GROUP BY p.author_id";
    }

    /** The first day that starts at or after {@code t} (UTC). */
    private static LocalDate dayOnOrAfter(Instant t) {
        LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
        return t.equals(midnight(day)) ? day : day.plusDays(1);
    }

    private static Instant midnight(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
