package io.tidings.dashboard.api;

import io.tidings.athena.LakeSql;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import io.tidings.records.EntityKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The answers of the data endpoints (API.md), as maps and lists ready for JSON. Every query reads
 * the live views ({@code posts}, {@code entities}), so a deleted post never shows; every filter
 * value is a bound parameter.
 */
public final class LakeApi {
    /** Most points a time series returns; a finer explicit bucket over a long range is refused. */
    static final int MAX_POINTS = 5000;
    static final int TREND_BUCKETS = 12;

    /** The post columns an answer carries (API.md, /api/posts). */
    static final String POST_COLUMNS = "p.post_id, p.platform, p.url, p.created_at, p.author_handle, p.author_name,"
            + " p.author_followers, p.text, p.lang_detected, p.sentiment, p.p_negative, p.p_neutral, p.p_positive,"
            + " p.like_count, p.repost_count, p.reply_count, p.quote_count, p.hashtags, p.matched_rules";
    static final String ENGAGEMENT = "(coalesce(p.like_count, 0) + coalesce(p.repost_count, 0)"
            + " + coalesce(p.reply_count, 0) + coalesce(p.quote_count, 0))";
    static final String SENTIMENT_COUNTS = "count_if(p.sentiment = 'negative') AS negative,"
            + " count_if(p.sentiment = 'neutral') AS neutral, count_if(p.sentiment = 'positive') AS positive";

    /** A bucket size of a time series. */
    public enum Bucket {
        MINUTE(ChronoUnit.MINUTES), HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        final ChronoUnit unit;

        Bucket(ChronoUnit unit) {
            this.unit = unit;
        }

        String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The bucket that keeps a range to at most ~200 points. */
        static Bucket auto(Instant from, Instant to) {
            long minutes = Duration.between(from, to).toMinutes();
            if (minutes <= 200) {
                return MINUTE;
            }
            return minutes <= 200 * 60 ? HOUR : DAY;
        }
    }

    private final LakeDatabase db;
    private final LakeVersion version;
    private final Trending trending;

    public LakeApi(LakeDatabase db, LakeVersion version) {
        this.db = db;
        this.version = version;
        this.trending = new Trending(db);
    }

    /** What is rising in the window that ends at the lake's newest post (or at {@code to}): {@link Trending}. */
    public Map<String, Object> trending(Filters f, Trending.Settings settings) throws SQLException {
        return trending.answer(f, settings, null);
    }

    public Map<String, Object> overview(Filters f) throws SQLException {
        Filters.Condition c = f.on("p");
        // One pass: per author first, so reach counts each author's followers once.
        Map<String, Object> row = db.one("SELECT sum(n) AS posts, count(author_id) AS authors, sum(scored) AS scored,"
                + " sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive,"
                + " sum(followers) AS reach, min(first) AS first, max(last) AS last FROM ("
                + "   SELECT p.author_id, count(*) AS n, count(p.sentiment) AS scored, " + SENTIMENT_COUNTS + ","
                + "     max(p.author_followers) AS followers, min(p.created_at) AS first, max(p.created_at) AS last"
                + "   FROM posts p WHERE " + c.sql() + " GROUP BY p.author_id)", c.params());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("posts", num(row.get("posts")));
        out.put("authors", num(row.get("authors")));
        out.put("scored", num(row.get("scored")));
        out.put("negative", num(row.get("negative")));
        out.put("neutral", num(row.get("neutral")));
        out.put("positive", num(row.get("positive")));
        out.put("net_sentiment", net(row));
        out.put("reach", num(row.get("reach")));
        out.put("first", row.get("first"));
        out.put("last", row.get("last"));
        out.put("lake_version", version.version());
        return out;
    }

    /** {@code bucket}: minute, hour, day or auto (≤ ~200 points over the range). */
    public Map<String, Object> timeseries(Filters f, String bucketName) throws SQLException {
        Instant[] range = range(f);
        Map<String, Object> out = new LinkedHashMap<>();
        if (range == null) {
            out.put("bucket", bucketName == null || bucketName.equals("auto") ? "hour" : bucketName);
            out.put("points", List.of());
            return out;
        }
        Bucket bucket = bucket(bucketName, range);
        Filters.Condition c = f.on("p");
        List<Map<String, Object>> rows = db.query("SELECT CAST(date_trunc('" + bucket.sqlName() + "', p.created_at) AS TIMESTAMP) AS t,"
                + " count(*) AS posts, " + SENTIMENT_COUNTS + ", count(*) - count(p.sentiment) AS unscored"
                + " FROM posts p WHERE " + c.sql() + " GROUP BY 1 ORDER BY 1", c.params());
        Map<String, Map<String, Object>> byTime = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            byTime.put((String) r.get("t"), r);
        }
        // Every bucket of the range, empty ones as zeros, so a chart's x axis is time and not rows.
        List<Map<String, Object>> points = new ArrayList<>();
        Instant end = range[1];
        for (Instant t = truncate(range[0], bucket); !t.isAfter(truncate(end, bucket)); t = t.plus(1, bucket.unit)) {
            Map<String, Object> r = byTime.get(t.toString());
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("t", t.toString());
            point.put("posts", r == null ? 0L : num(r.get("posts")));
            point.put("negative", r == null ? 0L : num(r.get("negative")));
            point.put("neutral", r == null ? 0L : num(r.get("neutral")));
            point.put("positive", r == null ? 0L : num(r.get("positive")));
            point.put("unscored", r == null ? 0L : num(r.get("unscored")));
            point.put("net_sentiment", r == null ? null : net(r));
            points.add(point);
            if (points.size() > MAX_POINTS) {
                throw ApiException.badRequest("bucket '" + bucket.sqlName() + "' gives more than " + MAX_POINTS
                        + " points over this range; choose a coarser bucket or a shorter range");
            }
        }
        out.put("bucket", bucket.sqlName());
        out.put("points", points);
        return out;
    }

    public Map<String, Object> entities(Filters f, String type, int limit) throws SQLException {
        Filters.Condition c = f.on("p");
        String typeCondition = "";
        String entityType = null;
        if (type != null && !type.isBlank()) {
            entityType = type.strip().toUpperCase(Locale.ROOT);
            if (!Filters.ENTITY_TYPES.contains(entityType)) {
                throw ApiException.badRequest("type must be PER, ORG, LOC or MISC");
            }
            typeCondition = " AND " + mentionAlias(f) + ".type = ?";
        }
        Instant[] range = range(f);
        if (range == null) {
            return Map.of("entities", List.of());
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
        String a = mentionAlias(f);
        // One pass over mentions (one row per (entity, post), so counting posts is a plain count)
        // grouped by entity and trend bucket, rolled up per entity; the spelling shown is the
        // entity's most common one in the lake (entity_names), looked up for the top ones only.
        List<Map<String, Object>> top = db.query("WITH g AS ("
                + "   SELECT " + a + ".folded, " + a + ".type,"
                + "     least(" + (TREND_BUCKETS - 1) + ", greatest(0, CAST(floor((epoch(" + a + ".created_at) - ?) / ?) AS INTEGER))) AS b,"
                + "     sum(" + a + ".n) AS mentions, count(*) AS posts, count_if(p.sentiment = 'negative') AS negative,"
                + "     count_if(p.sentiment = 'neutral') AS neutral, count_if(p.sentiment = 'positive') AS positive"
                + "   FROM " + mentionsWhere(f) + c.sql() + typeCondition + " GROUP BY 1, 2, 3),"
                + " top AS (SELECT folded, type, sum(mentions) AS mentions, sum(posts) AS posts, sum(negative) AS negative,"
                + "   sum(neutral) AS neutral, sum(positive) AS positive, list([b, mentions]) AS trend"
                + "   FROM g GROUP BY 1, 2 ORDER BY mentions DESC, folded, type LIMIT ?)"
                + " SELECT top.*, coalesce(n.text, top.folded) AS text FROM top LEFT JOIN entity_names n USING (folded, type)"
                + " ORDER BY top.mentions DESC, top.folded, top.type", params);
        List<Map<String, Object>> entities = new ArrayList<>();
        for (Map<String, Object> r : top) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("text", r.get("text"));
            e.put("type", r.get("type"));
            e.put("mentions", num(r.get("mentions")));
            e.put("posts", num(r.get("posts")));
            e.put("negative", num(r.get("negative")));
            e.put("neutral", num(r.get("neutral")));
            e.put("positive", num(r.get("positive")));
            e.put("net_sentiment", netOf(num(r.get("negative")), num(r.get("positive")),
                    num(r.get("negative")) + num(r.get("neutral")) + num(r.get("positive"))));
            long[] trend = new long[TREND_BUCKETS];
            if (r.get("trend") instanceof List<?> pairs) {
                for (Object pair : pairs) {
                    List<?> bn = (List<?>) pair;
                    trend[((Number) bn.get(0)).intValue()] += ((Number) bn.get(1)).longValue();
                }
            }
            e.put("trend", java.util.Arrays.stream(trend).boxed().toList());
            entities.add(e);
        }
        return Map.of("entities", entities);
    }

    /** {@code kind}: hashtag, mention or domain (of the posts' links, without "www."). */
    public Map<String, Object> terms(Filters f, String kind, int limit) throws SQLException {
        String k = kind == null ? "hashtag" : kind.strip().toLowerCase(Locale.ROOT);
        if (!List.of("hashtag", "mention", "domain").contains(k)) {
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
                ? "post_terms p WHERE p.term_kind = ? AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id) AND "
                : "post_terms pt JOIN posts p ON p.post_id = pt.post_id AND p.dt = pt.dt AND p.hour = pt.hour WHERE pt.term_kind = ? AND ";
        String term = f.fitsMentions() ? "p.term" : "pt.term";
        List<Map<String, Object>> rows = db.query("SELECT " + term + " AS term, count(*) AS posts,"
                + " count_if(p.sentiment = 'negative') AS negative, count_if(p.sentiment = 'positive') AS positive,"
                + " count(p.sentiment) AS scored"
                + " FROM " + from + c.sql() + " GROUP BY 1 ORDER BY posts DESC, term LIMIT ?", params);
        List<Map<String, Object>> top = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("term", r.get("term"));
            t.put("posts", num(r.get("posts")));
            t.put("net_sentiment", net(r));
            top.add(t);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", k);
        out.put("terms", top);
        return out;
    }

    /** {@code sort}: time (newest first) or engagement (likes + reposts + replies + quotes, highest first). */
    public Map<String, Object> posts(Filters f, String sort, int limit, int offset) throws SQLException {
        String order = switch (sort == null ? "time" : sort) {
            case "time" -> "p.created_at DESC, p.post_id";
            case "engagement" -> ENGAGEMENT + " DESC, p.created_at DESC, p.post_id";
            default -> throw ApiException.badRequest("sort must be time or engagement");
        };
        Filters.Condition c = f.on("p");
        long total = num(db.one("SELECT count(*) AS n FROM posts p WHERE " + c.sql(), c.params()).get("n"));
        List<Object> params = new ArrayList<>(c.params());
        params.add(limit);
        params.add(offset);
        List<Map<String, Object>> posts = db.query("SELECT " + POST_COLUMNS + " FROM posts p WHERE " + c.sql()
                + " ORDER BY " + order + " LIMIT ? OFFSET ?", params);
        attachEntities(posts);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("offset", offset);
        out.put("limit", limit);
        out.put("posts", posts);
        return out;
    }

    private void attachEntities(List<Map<String, Object>> posts) throws SQLException {
        if (posts.isEmpty()) {
            return;
        }
        List<Object> ids = posts.stream().map(p -> p.get("post_id")).toList();
        Map<Object, List<Map<String, Object>>> byPost = new LinkedHashMap<>();
        for (Map<String, Object> p : posts) {
            List<Map<String, Object>> list = new ArrayList<>();
            p.put("entities", list);
            byPost.put(p.get("post_id"), list);
        }
        // The page's posts are few: their dt partitions bound the files read.
        List<Object> params = new ArrayList<>(ids);
        for (Map<String, Object> r : db.query("SELECT post_id, text, type, char_start, char_end, score FROM entities"
                + " WHERE post_id IN (" + Filters.placeholders(ids.size()) + ") ORDER BY post_id, char_start", params)) {
            Object postId = r.remove("post_id");
            byPost.get(postId).add(r);
        }
    }

    /** One entity (by its canonical key: case, a leading #/@ and Unicode forms do not matter; type optional) within the filters. */
    public Map<String, Object> entity(Filters f, String text, String type, String bucket) throws SQLException {
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
        String a = mentionAlias(f);
        String typeCondition = "";
        if (t != null) {
            typeCondition = " AND " + a + ".type = ?";
            params.add(t);
        }
        Map<String, Object> head = db.one("SELECT mode(" + a + ".text) AS text, mode(" + a + ".type) AS type,"
                + " sum(" + a + ".n) AS mentions, count(DISTINCT " + a + ".post_id) AS posts,"
                + " count(DISTINCT " + a + ".post_id) FILTER (WHERE p.sentiment = 'negative') AS negative,"
                + " count(DISTINCT " + a + ".post_id) FILTER (WHERE p.sentiment = 'neutral') AS neutral,"
                + " count(DISTINCT " + a + ".post_id) FILTER (WHERE p.sentiment = 'positive') AS positive"
                + " FROM " + mentionsWhere(f) + c.sql() + " AND " + a + ".folded = ?" + typeCondition, params);
        long posts = num(head.get("posts"));
        if (posts == 0) {
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
        List<Map<String, Object>> cooccurring = db.query("SELECT mode(e2.text) AS text, e2.type, count(*) AS posts"
                + " FROM mentions e2 WHERE e2.post_id IN (SELECT p.post_id FROM " + mentionsWhere(withEntity) + withC.sql() + ")"
                + " AND NOT (e2.folded = ?" + sameType + ")"
                + " GROUP BY e2.folded, e2.type ORDER BY posts DESC, e2.folded, e2.type LIMIT 10", coParams);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", head.get("text"));
        out.put("type", t != null ? t : head.get("type"));
        out.put("mentions", num(head.get("mentions")));
        out.put("posts", posts);
        long negative = num(head.get("negative"));
        long neutral = num(head.get("neutral"));
        long positive = num(head.get("positive"));
        out.put("negative", negative);
        out.put("neutral", neutral);
        out.put("positive", positive);
        out.put("net_sentiment", netOf(negative, positive, negative + neutral + positive));
        out.put("timeseries", timeseries(withEntity, bucket));
        out.put("cooccurring", cooccurring);
        out.put("samples", posts(withEntity, "time", 10, 0).get("posts"));
        return out;
    }

    /**
     * Entity answers read {@code mentions}: alone, aliased {@code p} like the posts the filters
     * are written for, when the filters fit it ({@link Filters#fitsMentions}); else joined with the
     * posts (aliased {@code m}). Either way deleted posts are left out.
     */
    private static String mentionsWhere(Filters f) {
        return f.fitsMentions()
                ? "mentions p WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id) AND "
                : "mentions m JOIN posts p ON p.post_id = m.post_id AND p.dt = m.dt AND p.hour = m.hour WHERE ";
    }

    /** The alias of the mention rows in {@link #mentionsWhere}. */
    private static String mentionAlias(Filters f) {
        return f.fitsMentions() ? "p" : "m";
    }

    /** Per platform volume, freshness and lag; dead letters; model versions; the newest commit. */
    public Map<String, Object> health(Filters f) throws SQLException {
        Filters.Condition c = f.on("p");
        // lag_seconds: how long after its creation the newest hour's posts reached the lake (median),
        // i.e. how far behind the stream the job is; posts_last_hour counts by the wall clock.
        List<Map<String, Object>> sources = db.query("WITH s AS (SELECT p.platform, p.created_at, p.ingested_at,"
                + "   max(p.created_at) OVER (PARTITION BY p.platform) AS newest FROM posts p WHERE " + c.sql() + ")"
                + " SELECT platform, count(*) AS posts, max(created_at) AS last_created_at, max(ingested_at) AS last_ingested_at,"
                + " count_if(ingested_at >= CAST(? AS TIMESTAMP)) AS posts_last_hour,"
                + " median(epoch(ingested_at) - epoch(created_at)) FILTER (WHERE created_at > newest - INTERVAL 1 HOUR) AS lag_seconds"
                + " FROM s GROUP BY platform ORDER BY posts DESC, platform",
                concat(c.params(), Filters.sqlTime(Instant.now().minus(Duration.ofHours(1)))));
        for (Map<String, Object> s : sources) {
            s.put("posts", num(s.get("posts")));
            s.put("posts_last_hour", num(s.get("posts_last_hour")));
        }
        List<Map<String, Object>> models = db.query("SELECT p.model_version, count(*) AS posts FROM posts p WHERE " + c.sql()
                + " GROUP BY 1 ORDER BY posts DESC, 1", c.params());
        LakeVersion.Snapshot snapshot = version.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sources", sources);
        out.put("dead_letters", deadLetters());
        out.put("model_versions", models);
        out.put("last_commit", snapshot.lastCommit() == null ? null : snapshot.lastCommit().toString());
        out.put("files", snapshot.parquetFiles());
        out.put("lake", db.root().toString());
        return out;
    }

    private Map<String, Object> deadLetters() throws SQLException {
        Path folder = db.root().resolve("_deadletter");
        Map<String, Object> out = new LinkedHashMap<>();
        if (!hasJsonLines(folder)) {
            out.put("count", 0L);
            out.put("by_reason", List.of());
            out.put("latest", List.of());
            return out;
        }
        String letters = LakeSql.deadLetters("?");
        List<Object> glob = List.of(folder + "/*/*.jsonl");
        // Read from the files at each (uncached) request, by the database for files (LakeDatabase).
        out.put("count", num(db.queryFiles("SELECT count(*) AS n FROM " + letters, glob).get(0).get("n")));
        // Numbers in reasons (offsets, lengths) would split one cause into many rows.
        List<Map<String, Object>> byReason = db.queryFiles("SELECT regexp_replace(reason, '[0-9]+', 'N', 'g') AS reason, count(*) AS count"
                + " FROM " + letters + " GROUP BY 1 ORDER BY count DESC, reason LIMIT 20", glob);
        byReason.forEach(r -> r.put("count", num(r.get("count"))));
        out.put("by_reason", byReason);
        out.put("latest", db.queryFiles("SELECT reason, failed_at AS at FROM " + letters + " ORDER BY failed_at DESC LIMIT 10", glob));
        return out;
    }

    private static boolean hasJsonLines(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.find(folder, 2, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().endsWith(".jsonl") && !p.getFileName().toString().startsWith("."))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The filters' time range, or the data's own first and last post time within the other filters. */
    Instant[] range(Filters f) throws SQLException {
        if (f.from() != null && f.to() != null) {
            return new Instant[] {f.from(), f.to().minusMillis(1)};
        }
        Filters.Condition c = f.on("p");
        Map<String, Object> r = db.one("SELECT min(p.created_at) AS first, max(p.created_at) AS last FROM posts p WHERE " + c.sql(),
                c.params());
        if (r.get("first") == null) {
            return null;
        }
        Instant first = f.from() != null ? f.from() : Instant.parse((String) r.get("first"));
        Instant last = f.to() != null ? f.to().minusMillis(1) : Instant.parse((String) r.get("last"));
        return new Instant[] {first, last};
    }

    private static Bucket bucket(String name, Instant[] range) {
        if (name == null || name.isBlank() || name.equals("auto")) {
            return Bucket.auto(range[0], range[1]);
        }
        try {
            return Bucket.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bucket must be minute, hour, day or auto");
        }
    }

    private static Instant truncate(Instant t, Bucket bucket) {
        return t.truncatedTo(bucket.unit);
    }

    private static List<Object> concat(List<Object> a, Object b) {
        List<Object> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    static long num(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    private static Double net(Map<String, Object> row) {
        return netOf(num(row.get("negative")), num(row.get("positive")), num(row.get("scored")));
    }

    static Double netOf(long negative, long positive, long scored) {
        return scored == 0 ? null : (double) (positive - negative) / scored;
    }
}
