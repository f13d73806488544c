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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The answers of the data endpoints (API.md): overview, timeseries, entities and terms by their own
 * query classes as typed records; posts, entity and health still here as maps and lists ready for JSON. Every query reads
 * the live views ({@code posts}, {@code entities}), so a deleted post never shows; every filter
 * value is a bound parameter.
 */
public final class LakeApi {
    /** The post columns an answer carries (API.md, /api/posts). */
    static final String POST_COLUMNS = "p.post_id, p.platform, p.url, p.created_at, p.author_handle, p.author_name,"
            + " p.author_followers, p.text, p.lang_detected, p.sentiment, p.p_negative, p.p_neutral, p.p_positive,"
            + " p.like_count, p.repost_count, p.reply_count, p.quote_count, p.hashtags, p.matched_rules";
    static final String ENGAGEMENT = "(coalesce(p.like_count, 0) + coalesce(p.repost_count, 0)"
            + " + coalesce(p.reply_count, 0) + coalesce(p.quote_count, 0))";
    private final LakeDatabase db;
    private final LakeVersion version;
    private final Trending trending;
    private final OverviewQuery overview;
    private final TimeseriesQuery timeseries;
    private final EntitiesQuery entities;
    private final TermsQuery terms;

    public LakeApi(LakeDatabase db, LakeVersion version) {
        this.db = db;
        this.version = version;
        this.trending = new Trending(db);
        this.overview = new OverviewQuery(db);
        this.timeseries = new TimeseriesQuery(db);
        this.entities = new EntitiesQuery(db);
        this.terms = new TermsQuery(db);
    }

    /** What is rising in the window that ends at the lake's newest post (or at {@code to}): {@link Trending}. */
    public Map<String, Object> trending(Filters f, Trending.Settings settings) throws SQLException {
        return trending.answer(f, settings, null);
    }

    public OverviewQuery.Overview overview(Filters f) throws SQLException {
        return overview.answer(f, version.version());
    }

    /** {@code bucket}: minute, hour, day or auto (≤ ~200 points over the range). */
    public TimeseriesQuery.Timeseries timeseries(Filters f, String bucket) throws SQLException {
        return timeseries.answer(f, bucket);
    }

    public EntitiesQuery.Entities entities(Filters f, String type, int limit) throws SQLException {
        return entities.answer(f, type, limit);
    }

    /** {@code kind}: hashtag, mention or domain. */
    public TermsQuery.Terms terms(Filters f, String kind, int limit) throws SQLException {
        return terms.answer(f, kind, limit);
    }

    /** {@code sort}: time (newest first) or engagement (likes + reposts + replies + quotes, highest first). */
    public Map<String, Object> posts(Filters f, String sort, int limit, int offset) throws SQLException {
        String order = switch (sort == null ? "time" : sort) {
            case "time" -> "p.created_at DESC, p.post_id";
            case "engagement" -> ENGAGEMENT + " DESC, p.created_at DESC, p.post_id";
            default -> throw ApiException.badRequest("sort must be time or engagement");
        };
        Filters.Condition c = f.on("p");
        long total = Rows.num(db.one("SELECT count(*) AS n FROM posts p WHERE " + c.sql(), c.params()).get("n"));
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
        String a = Mentions.alias(f);
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
                + " FROM " + Mentions.where(f) + c.sql() + " AND " + a + ".folded = ?" + typeCondition, params);
        long posts = Rows.num(head.get("posts"));
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
                + " FROM mentions e2 WHERE e2.post_id IN (SELECT p.post_id FROM " + Mentions.where(withEntity) + withC.sql() + ")"
                + " AND NOT (e2.folded = ?" + sameType + ")"
                + " GROUP BY e2.folded, e2.type ORDER BY posts DESC, e2.folded, e2.type LIMIT 10", coParams);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", head.get("text"));
        out.put("type", t != null ? t : head.get("type"));
        out.put("mentions", Rows.num(head.get("mentions")));
        out.put("posts", posts);
        long negative = Rows.num(head.get("negative"));
        long neutral = Rows.num(head.get("neutral"));
        long positive = Rows.num(head.get("positive"));
        out.put("negative", negative);
        out.put("neutral", neutral);
        out.put("positive", positive);
        out.put("net_sentiment", Rows.netOf(negative, positive, negative + neutral + positive));
        out.put("timeseries", timeseries(withEntity, bucket));
        out.put("cooccurring", cooccurring);
        out.put("samples", posts(withEntity, "time", 10, 0).get("posts"));
        return out;
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
            s.put("posts", Rows.num(s.get("posts")));
            s.put("posts_last_hour", Rows.num(s.get("posts_last_hour")));
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
        out.put("count", Rows.num(db.queryFiles("SELECT count(*) AS n FROM " + letters, glob).get(0).get("n")));
        // Numbers in reasons (offsets, lengths) would split one cause into many rows.
        List<Map<String, Object>> byReason = db.queryFiles("SELECT regexp_replace(reason, '[0-9]+', 'N', 'g') AS reason, count(*) AS count"
                + " FROM " + letters + " GROUP BY 1 ORDER BY count DESC, reason LIMIT 20", glob);
        byReason.forEach(r -> r.put("count", Rows.num(r.get("count"))));
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

    private static List<Object> concat(List<Object> a, Object b) {
        List<Object> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

}
