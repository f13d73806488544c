package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/terms}: the top hashtags, mentions or link domains. */
public final class TermsQuery {
    static final List<String> KINDS = List.of("hashtag", "mention", "domain");

    public record Terms(String kind, List<Term> terms) {}

    public record Term(String term, long posts, @JsonProperty("net_sentiment") Double netSentiment) {}

    private final LakeDatabase db;

    TermsQuery(LakeDatabase db) {
        this.db = db;
    }

    /** {@code kind}: hashtag, mention or domain (of the posts' links, without "www."). */
    Terms answer(Filters f, String kind, int limit) throws SQLException {
        String k = kind == null ? "hashtag" : kind.strip().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw ApiException.badRequest("kind must be hashtag, mention or domain");
        }
        Filters.Condition c = f.on("p");
        List<Object> params = new ArrayList<>();
        params.add(k);
        params.addAll(c.params());
        params.add(limit);
        // post_terms: each post's terms, distinct within the post (so a post counts once per term with
        // a plain count) and folded, built as files load (LakeDatabase); alone when the filters fit
        // it, else joined with the posts.
        String from = f.fitsMentions()
                ? "post_terms p ANTI JOIN tombstones t ON t.post_id = p.post_id WHERE p.term_kind = ? AND "
                : "post_terms pt JOIN posts p ON p.post_id = pt.post_id AND p.dt = pt.dt AND p.hour = pt.hour WHERE pt.term_kind = ? AND ";
        String term = f.fitsMentions() ? "p.term" : "pt.term";
        List<Map<String, Object>> rows = db.query("SELECT " + term + " AS term, count(*) AS posts,"
                + " count_if(p.sentiment = 'negative') AS negative, count_if(p.sentiment = 'positive') AS positive,"
                + " count(p.sentiment) AS scored"
                + " FROM " + from + c.sql() + " GROUP BY 1 ORDER BY posts DESC, term LIMIT ?", params);
        List<Term> top = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            top.add(new Term(Rows.text(r.get("term")), num(r.get("posts")), Rows.net(r)));
        }
        return new Terms(k, top);
    }
}
