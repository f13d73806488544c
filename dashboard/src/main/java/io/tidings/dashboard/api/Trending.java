package io.tidings.dashboard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is rising now: the terms (words of the text), hashtags and entities (by canonical key)
 * whose posts in the last window depart from their own baseline. The method of the lake's
 * {@code trending} view (athena module), with its window, baseline and thresholds as parameters
 * and the API's filters applied:
 *
 * <ol>
 *   <li>The window ends at the anchor: the lake's newest post, or the {@code to} filter. Time
 *       before it is cut into buckets of the window's length: bucket 0 is the window, buckets
 *       1..N the baseline ({@code N = baseline / window}, fewer when the lake, within the filters,
 *       is younger).</li>
 *   <li>Per key and bucket, the posts that carry the key (a post counts once).</li>
 *   <li>{@code expected = (baseline posts + 1) / (N + 1)}: the mean per bucket with one pseudo-post,
 *       so a key never seen before is expected about once per baseline span, not never.</li>
 *   <li>{@code score}: the Wilson–Hilferty approximation of the Poisson upper tail P(X &ge; posts |
 *       expected) as a standard normal quantile, {@code 3 sqrt(x) (1 - 1/(9x) - cbrt(expected/x))},
 *       divided by {@code sqrt(dispersion)}, the key's baseline variance over its mean (at least 1),
 *       so that a bursty key needs a bigger burst (quasi-Poisson).</li>
 *   <li>Listed: at least {@code min} posts in the window, {@code score >= min_score} and
 *       {@code posts / expected >= min_ratio}; ranked by score. A key with no baseline posts is
 *       flagged new.</li>
 * </ol>
 */
public final class Trending {
    public static final List<String> KINDS = List.of("all", "term", "hashtag", "entity");
    public static final int DEFAULT_MIN_POSTS = 5;
    public static final double DEFAULT_MIN_SCORE = 4.0;
    public static final double DEFAULT_MIN_RATIO = 1.5;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_BASELINE = Duration.ofDays(7);
    /** Most baseline buckets (5-minute windows over a month, say, are too fine to be worth it). */
    static final long MAX_BUCKETS = 10_000;

    /**
     * Which words are terms, written exactly as in the {@code trending} view (TrendingTest checks
     * that the view holds this text): runs of letters, marks and digits of the lower-case text, of 3
     * characters or more, not only digits, not a link, hashtag, mention or cashtag (matched whole so
     * their pieces are no words) and not one of the commonest function words of six languages.
     */
    public static final String TERM_PATTERN = "'(?:https?://|www\\.)[!-~]+|[#@$]?[\\p{L}\\p{M}\\p{N}_]+'";
    public static final String TERM_CONDITION = "length(w.term) >= 3\n"
            + "    AND substr(w.term, 1, 1) NOT IN ('#', '@', '$')\n"
            + "    AND w.term NOT LIKE 'http%' AND w.term NOT LIKE 'www.%'\n"
            + "    AND translate(w.term, '0123456789_', '') <> ''\n"
            + "    AND w.term NOT IN (\n"
            + "      -- the commonest function words of English, German, French, Spanish, Italian, Portuguese\n"
            + "      'the', 'and', 'for', 'are', 'but', 'not', 'you', 'all', 'any', 'can', 'had', 'her', 'was', 'one', 'our',\n"
            + "      'out', 'has', 'him', 'his', 'how', 'its', 'may', 'now', 'see', 'who', 'did', 'get', 'got', 'let', 'say',\n"
            + "      'she', 'too', 'use', 'via', 'yes', 'yet', 'from', 'that', 'this', 'with', 'have', 'they', 'them', 'then',\n"
            + "      'than', 'there', 'their', 'what', 'when', 'where', 'which', 'while', 'will', 'would', 'could', 'should',\n"
            + "      'been', 'being', 'were', 'into', 'about', 'after', 'before', 'just', 'like', 'more', 'most', 'much',\n"
            + "      'also', 'only', 'over', 'some', 'such', 'very', 'your', 'here', 'does', 'done', 'each', 'even', 'other',\n"
            + "      'these', 'those', 'because', 'through', 'don', 'doesn', 'didn', 'isn', 'aren', 'wasn', 'won',\n"
            + "      'der', 'die', 'das', 'und', 'ist', 'ein', 'eine', 'nicht', 'mit', 'den', 'dem', 'des', 'von', 'auf',\n"
            + "      'für', 'sich', 'auch', 'ich', 'sie', 'wir', 'ihr', 'aber', 'wie', 'noch', 'nur', 'oder', 'wenn', 'bei',\n"
            + "      'aus', 'zum', 'zur', 'war', 'hat', 'sind', 'einen', 'einem', 'einer', 'dass',\n"
            + "      'les', 'une', 'est', 'pas', 'que', 'qui', 'pour', 'dans', 'sur', 'par', 'avec', 'vous', 'nous', 'mais',\n"
            + "      'plus', 'son', 'ses', 'aux', 'ces', 'cette', 'sont', 'tout', 'elle',\n"
            + "      'los', 'las', 'una', 'del', 'por', 'con', 'para', 'como', 'pero', 'más', 'sus', 'este', 'esta', 'esto',\n"
            + "      'sin', 'sobre', 'muy', 'todo', 'hay', 'fue',\n"
            + "      'che', 'per', 'non', 'sono', 'della', 'não', 'com', 'dos', 'das', 'uma')";

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([mhd])");

    /** What to look for: which keys, the window and baseline, the thresholds, how many to list. */
    public record Settings(String kind, Duration window, Duration baseline, long minPosts, double minScore, double minRatio,
            int limit) {
        public Settings {
            if (!KINDS.contains(kind)) {
                throw ApiException.badRequest("kind must be one of " + String.join(", ", KINDS));
            }
            if (window.compareTo(Duration.ofMinutes(5)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
                throw ApiException.badRequest("window must be between 5m and 7d");
            }
            if (baseline.compareTo(window.multipliedBy(2)) < 0) {
                throw ApiException.badRequest("baseline must be at least two windows long");
            }
            if (baseline.dividedBy(window) > MAX_BUCKETS) {
                throw ApiException.badRequest("baseline / window must be at most " + MAX_BUCKETS + " windows");
            }
            if (minPosts < 1) {
                throw ApiException.badRequest("min must be at least 1");
            }
            if (Double.isNaN(minScore) || Double.isNaN(minRatio) || Double.isInfinite(minRatio)) {
                throw ApiException.badRequest("min_score and min_ratio must be numbers");
            }
        }

        public static Settings defaults(String kind) {
            return new Settings(kind, DEFAULT_WINDOW, DEFAULT_BASELINE, DEFAULT_MIN_POSTS, DEFAULT_MIN_SCORE, DEFAULT_MIN_RATIO, 20);
        }

        long buckets() {
            return baseline.dividedBy(window);
        }
    }

    /**
     * The answer: the settings it was made with, the window (null ends in an empty lake), how many
     * baseline windows the lake covered, and the keys rising, best first.
     */
    public record Answer(String kind, String window, String baseline, @JsonProperty("min_posts") long minPosts,
            @JsonProperty("min_score") double minScore, @JsonProperty("min_ratio") double minRatio,
            @JsonProperty("window_start") String windowStart, @JsonProperty("window_end") String windowEnd,
            @JsonProperty("baseline_windows") long baselineWindows, List<Key> keys) {}

    /**
     * A rising key: its kind (term, hashtag, entity), the key and the spelling to show, the entity's
     * type (null for the other kinds), posts in the window and in the baseline, the posts expected,
     * their ratio, the score, and whether the baseline never had it. The decimals are the query's
     * rounded numbers as the lake gives them.
     */
    public record Key(String kind, String key, String label, @JsonProperty("entity_type") String entityType, long posts,
            @JsonProperty("baseline_posts") long baselinePosts, Number expected, Number ratio, Number score,
            @JsonProperty("new") Boolean isNew) {}

    private final LakeDatabase db;

    public Trending(LakeDatabase db) {
        this.db = db;
    }

    /** The window's end when the filters do not give one: the lake's newest post (null in an empty lake). */
    public Instant newestPost() throws SQLException {
        Object newest = db.one("SELECT max(created_at) AS newest FROM posts", List.of()).get("newest");
        return newest == null ? null : Instant.parse((String) newest);
    }

    /**
     * The keys rising in the window that ends at {@code anchor} (inclusive; null: the {@code to}
     * filter's end, else the lake's newest post), within the filters.
     */
    public Answer answer(Filters f, Settings s, Instant anchor) throws SQLException {
        Instant at = anchor != null ? anchor : f.to() != null ? f.to().minusMillis(1) : newestPost();
        if (at == null) {
            return new Answer(s.kind(), human(s.window()), human(s.baseline()), s.minPosts(), s.minScore(), s.minRatio(),
                    null, null, 0L, List.of());
        }
        long windowMs = s.window().toMillis();
        Instant since = at.minusMillis(windowMs * (s.buckets() + 1));
        // The baseline the lake covers within the filters: a younger lake has fewer windows.
        Filters.Condition c = f.on("p");
        Object first = db.one("SELECT min(p.created_at) AS first FROM posts p WHERE " + c.sql()
                + " AND p.created_at <= CAST(? AS TIMESTAMP)", concat(c.params(), Filters.sqlTime(at))).get("first");
        long windows = first == null ? 0
                : Math.min(s.buckets(), Math.max(0, (at.toEpochMilli() - Instant.parse((String) first).toEpochMilli()) / windowMs));

        // Each branch gives one row per (post, key): a post counts once, whatever it repeats. A post
        // the lake holds twice (an unedited post written by two runs: two live rows) is made distinct
        // per key on its own, as the view's count(DISTINCT post_id) does; every other post needs no
        // such (costly) step.
        List<Object> params = new ArrayList<>();
        List<String> branches = new ArrayList<>();
        String range = " AND p.created_at > CAST(? AS TIMESTAMP) AND p.created_at <= CAST(? AS TIMESTAMP)";
        List<Object> rangeParams = List.of(Filters.sqlTime(since), Filters.sqlTime(at));
        String twice = "twice AS (SELECT p.post_id FROM posts p WHERE TRUE" + range + " GROUP BY p.post_id HAVING count(*) > 1)";
        params.addAll(rangeParams);
        boolean entities = s.kind().equals("all") || s.kind().equals("entity");
        if (s.kind().equals("all") || s.kind().equals("hashtag")) {
            // post_terms: each post's hashtags, distinct and folded (LakeDatabase); joined with the
            // posts only when a filter needs their text or hashtags.
            for (String join : List.of("ANTI", "SEMI")) {
                branches.add((join.equals("SEMI") ? "SELECT DISTINCT" : "SELECT") + (f.fitsMentions()
                        ? " 'hashtag' AS kind, p.term AS key, p.post_id, p.created_at"
                                + " FROM post_terms p ANTI JOIN tombstones t ON t.post_id = p.post_id " + join + " JOIN twice d ON d.post_id = p.post_id"
                                + " WHERE p.term_kind = 'hashtag'" + range + " AND " + c.sql()
                        : " 'hashtag', pt.term, p.post_id, p.created_at"
                                + " FROM post_terms pt JOIN posts p ON p.post_id = pt.post_id AND p.dt = pt.dt AND p.hour = pt.hour"
                                + " " + join + " JOIN twice d ON d.post_id = p.post_id"
                                + " WHERE pt.term_kind = 'hashtag'" + range + " AND " + c.sql()));
                params.addAll(rangeParams);
                params.addAll(c.params());
            }
        }
        if (entities) {
            // mentions: one row per (post, entity by canonical key, type), so distinct per key here.
            branches.add("SELECT DISTINCT 'entity', m.key, m.post_id, m.created_at FROM (" + entityMentions(f, c, range) + ") m");
            params.addAll(rangeParams);
            params.addAll(c.params());
        }
        if (s.kind().equals("all") || s.kind().equals("term")) {
            // unnest() in the select list: DuckDB runs it several times faster than the view's
            // portable CROSS JOIN UNNEST (measured: 25 against 160 ms for 8,000 posts). Every word
            // is counted; which words are terms is asked of each distinct word once, below.
            for (String join : List.of("ANTI", "SEMI")) {
                branches.add((join.equals("SEMI") ? "SELECT DISTINCT" : "SELECT") + " 'term', w.term, w.post_id, w.created_at FROM ("
                        + " SELECT p.post_id, p.created_at, unnest(list_distinct(regexp_extract_all(lower(p.text), " + TERM_PATTERN + "))) AS term"
                        + " FROM posts p " + join + " JOIN twice d ON d.post_id = p.post_id WHERE TRUE" + range + " AND " + c.sql() + ") w");
                params.addAll(rangeParams);
                params.addAll(c.params());
            }
        }
        // Numbers below are parsed and validated numbers (Settings, the anchor's epoch milliseconds),
        // not text from the request.
        long n = windows;
        String bucket = "CAST(floor((" + at.toEpochMilli() + " - epoch_ms(o.created_at)) / " + windowMs + ") AS BIGINT)";
        String sql = "WITH " + twice + ", occurrences(kind, key, post_id, created_at) AS (" + String.join("\n UNION ALL ", branches) + "),"
                + " counted AS (SELECT kind, key, bucket, count(*) AS posts FROM (SELECT o.kind, o.key, " + bucket + " AS bucket"
                + "   FROM occurrences o) b WHERE bucket BETWEEN 0 AND " + n + " GROUP BY kind, key, bucket),"
                + " stats AS (SELECT kind, key, sum(posts) FILTER (WHERE bucket = 0) AS posts,"
                + "   coalesce(sum(posts) FILTER (WHERE bucket > 0), 0) AS baseline_posts,"
                + "   coalesce(sum(posts * posts) FILTER (WHERE bucket > 0), 0) AS baseline_squares"
                + "   FROM counted GROUP BY kind, key HAVING sum(posts) FILTER (WHERE bucket = 0) >= " + s.minPosts() + "),"
                // The words that are terms, asked of each distinct word of the stats rather than of every
                // word of every post: a condition on the key itself DuckDB pushes down to the 21 million
                // words of a week of ten million posts (its translate() alone took 5 s there); on max(key),
                // an aggregate's result, it stays here.
                + " words AS (SELECT max(key) AS term FROM stats WHERE kind = 'term' GROUP BY key),"
                + " terms AS (SELECT w.term FROM words w WHERE " + TERM_CONDITION + "),"
                // An entity's label: its commonest spelling (and type) in the window, bucket 0, counted over
                // every mention (the entities view, as the lake's view counts them; mentions keeps one
                // spelling per post and type) of the posts within the filters.
                + (entities
                        ? " spellings AS (SELECT key, spelling, entity_type, row_number() OVER (PARTITION BY key"
                                + "   ORDER BY count(*) DESC, CASE WHEN substr(spelling, 1, 1) IN ('#', '@') THEN 1 ELSE 0 END, spelling, entity_type) AS r"
                                + "   FROM (SELECT " + LakeDatabase.ENTITY_KEY + " AS key, e.text AS spelling, e.type AS entity_type, e.created_at"
                                + "     FROM entities e WHERE e.created_at > CAST(? AS TIMESTAMP) AND e.created_at <= CAST(? AS TIMESTAMP)"
                                + "     AND e.post_id IN (SELECT m.post_id FROM (" + entityMentions(f, c, range) + ") m)) o"
                                + "   WHERE " + bucket + " = 0 GROUP BY key, spelling, entity_type),"
                        : " spellings AS (SELECT NULL::VARCHAR AS key, NULL::VARCHAR AS spelling, NULL::VARCHAR AS entity_type, 1 AS r WHERE FALSE),")
                + " scored AS (SELECT s.*, CAST(s.baseline_posts + 1 AS DOUBLE) / " + (n + 1) + " AS expected,"
                + "   CASE WHEN " + n + " >= 2 AND s.baseline_posts > 0 THEN greatest(1.0,"
                + "     (CAST(s.baseline_squares AS DOUBLE) - CAST(s.baseline_posts AS DOUBLE) * s.baseline_posts / " + n + ")"
                + "     / " + Math.max(1, n - 1) + " / (CAST(s.baseline_posts AS DOUBLE) / " + Math.max(1, n) + ")) ELSE 1.0 END AS dispersion"
                + "   FROM stats s),"
                + " rated AS (SELECT c.*, 3 * sqrt(CAST(c.posts AS DOUBLE)) * (1 - 1 / (9 * CAST(c.posts AS DOUBLE))"
                + "   - cbrt(c.expected / c.posts)) / sqrt(c.dispersion) AS score, c.posts / c.expected AS ratio FROM scored c)"
                + " SELECT r.kind, r.key, CASE WHEN r.kind = 'entity' THEN sp.spelling ELSE r.key END AS label, sp.entity_type,"
                + "   r.posts, r.baseline_posts, round(r.expected, 3) AS expected, round(r.ratio, 3) AS ratio,"
                + "   round(r.score, 3) AS score, r.baseline_posts = 0 AS is_new"
                + " FROM rated r LEFT JOIN spellings sp ON r.kind = 'entity' AND sp.key = r.key AND sp.r = 1"
                + " WHERE r.score >= ? AND r.ratio >= ?"
                + "   AND (r.kind <> 'term' OR r.key IN (SELECT term FROM terms))"
                // In a list of all kinds, a word that is also a hashtag or entity of the window is listed as that only (as the view does).
                + "   AND NOT (r.kind = 'term' AND EXISTS (SELECT 1 FROM stats o WHERE o.kind <> 'term' AND o.key = r.key))"
                + " ORDER BY r.score DESC, r.kind, r.key LIMIT ?";
        if (entities) {
            // The spellings read the window only (a little wider; bucket 0 above is exact): the mentions, then their posts.
            List<Object> windowRange = List.of(Filters.sqlTime(at.minus(s.window()).minusMillis(1)), Filters.sqlTime(at));
            params.addAll(windowRange);
            params.addAll(windowRange);
            params.addAll(c.params());
        }
        params.add(s.minScore());
        params.add(s.minRatio());
        params.add(s.limit());
        List<Key> keys = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql, params)) {
            keys.add(new Key(Rows.text(r.get("kind")), Rows.text(r.get("key")), Rows.text(r.get("label")),
                    Rows.text(r.get("entity_type")), Rows.num(r.get("posts")), Rows.num(r.get("baseline_posts")),
                    (Number) r.get("expected"), (Number) r.get("ratio"), (Number) r.get("score"), (Boolean) r.get("is_new")));
        }
        return new Answer(s.kind(), human(s.window()), human(s.baseline()), s.minPosts(), s.minScore(), s.minRatio(),
                at.plusMillis(1).minus(s.window()).toString(), at.toString(), windows, keys);
    }

    /**
     * The live mentions within the filters and a {@code range} on {@code p.created_at}: key (the
     * canonical key), post and time, read as the other entity answers read them ({@link Mentions}).
     */
    private static String entityMentions(Filters f, Filters.Condition c, String range) {
        String a = Mentions.alias(f);
        return "SELECT " + a + ".folded AS key, p.post_id, p.created_at FROM " + Mentions.where(f) + "TRUE" + range + " AND " + c.sql();
    }

    /** A duration parameter: a number and m, h or d ({@code 15m}, {@code 1h}, {@code 7d}); null or blank: the default. */
    public static Duration duration(String value, String name, Duration defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw ApiException.badRequest("'" + name + "' must be a number and m, h or d, like 15m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A decimal parameter; null or blank: the default. */
    public static double decimal(String value, String name, double defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a number");
        }
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes % 1440 == 0) {
            return minutes / 1440 + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    private static List<Object> concat(List<Object> a, Object b) {
        List<Object> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }
}
