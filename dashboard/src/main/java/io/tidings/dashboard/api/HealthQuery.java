package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidings.athena.LakeSql;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import io.tidings.dashboard.lake.LakeRoot;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/health}: per platform volume, freshness and lag; dead letters; model versions; the newest commit. */
public final class HealthQuery {
    public record Health(List<Source> sources, @JsonProperty("dead_letters") DeadLetters deadLetters,
            @JsonProperty("model_versions") List<ModelVersion> modelVersions,
            @JsonProperty("last_commit") String lastCommit, int files, String lake) {}

    /** {@code lagSeconds}: a double, or null when the platform has no post in its newest hour with both times. */
    public record Source(String platform, long posts, @JsonProperty("last_created_at") String lastCreatedAt,
            @JsonProperty("last_ingested_at") String lastIngestedAt, @JsonProperty("posts_last_hour") long postsLastHour,
            @JsonProperty("lag_seconds") Number lagSeconds) {}

    public record DeadLetters(long count, @JsonProperty("by_reason") List<Reason> byReason, List<Letter> latest) {}

    public record Reason(String reason, long count) {}

    public record Letter(String reason, String at) {}

    public record ModelVersion(@JsonProperty("model_version") String modelVersion, long posts) {}

    private final LakeDatabase db;
    private final LakeVersion version;

    HealthQuery(LakeDatabase db, LakeVersion version) {
        this.db = db;
        this.version = version;
    }

    Health answer(Filters f) throws SQLException {
        Filters.Condition c = f.on("p");
        List<Object> params = new ArrayList<>();
        params.add(Filters.sqlTime(Instant.now().minus(Duration.ofHours(1))));
        params.addAll(c.params());
        // posts_last_hour counts by the wall clock; lag_seconds: how long after its creation the newest
        // hour's posts reached the lake (median), i.e. how far behind the stream the job is. The lag
        // is a second query over each platform's newest hour only, not a window or a join over every
        // post (seconds and hundreds of MB over ten million posts).
        List<Map<String, Object>> rows = db.query("SELECT p.platform, count(*) AS posts, max(p.created_at) AS last_created_at,"
                + " max(p.ingested_at) AS last_ingested_at, count_if(p.ingested_at >= CAST(? AS TIMESTAMP)) AS posts_last_hour,"
                + " CAST(max(p.created_at) AS VARCHAR) AS newest FROM posts p WHERE " + c.sql()
                + " GROUP BY p.platform ORDER BY posts DESC, p.platform", params);
        List<String> newestHours = new ArrayList<>();
        List<Object> lagParams = new ArrayList<>(c.params());
        for (Map<String, Object> s : rows) {
            if (s.get("newest") != null) {
                newestHours.add("(p.platform IS NOT DISTINCT FROM ? AND p.created_at > CAST(? AS TIMESTAMP) - INTERVAL 1 HOUR)");
                lagParams.add(s.get("platform"));
                lagParams.add(s.get("newest"));
            }
        }
        Map<Object, Number> lags = new HashMap<>();
        if (!newestHours.isEmpty()) {
            for (Map<String, Object> l : db.query("SELECT p.platform, median(epoch(p.ingested_at) - epoch(p.created_at)) AS lag_seconds"
                    + " FROM posts p WHERE " + c.sql() + " AND (" + String.join(" OR ", newestHours) + ") GROUP BY p.platform", lagParams)) {
                lags.put(l.get("platform"), (Number) l.get("lag_seconds"));
            }
        }
        List<Source> sources = new ArrayList<>();
        for (Map<String, Object> s : rows) {
            sources.add(new Source(Rows.text(s.get("platform")), num(s.get("posts")), Rows.text(s.get("last_created_at")),
                    Rows.text(s.get("last_ingested_at")), num(s.get("posts_last_hour")), lags.get(s.get("platform"))));
        }
        List<ModelVersion> models = new ArrayList<>();
        for (Map<String, Object> m : db.query("SELECT p.model_version, count(*) AS posts FROM posts p WHERE " + c.sql()
                + " GROUP BY 1 ORDER BY posts DESC, 1", c.params())) {
            models.add(new ModelVersion(Rows.text(m.get("model_version")), num(m.get("posts"))));
        }
        LakeVersion.Snapshot snapshot = version.snapshot();
        return new Health(sources, deadLetters(), models,
                snapshot.lastCommit() == null ? null : snapshot.lastCommit().toString(), snapshot.parquetFiles(),
                db.root().location());
    }

    private DeadLetters deadLetters() throws SQLException {
        if (!hasJsonLines(db.root())) {
            return new DeadLetters(0L, List.of(), List.of());
        }
        String letters = LakeSql.deadLetters("?");
        List<Object> glob = List.of(db.root().resolve("_deadletter") + "/*/*.jsonl");
        // Read from the files at each (uncached) request, by the database for files (LakeDatabase).
        long count = num(db.queryFiles("SELECT count(*) AS n FROM " + letters, glob).get(0).get("n"));
        // Numbers in reasons (offsets, lengths) would split one cause into many rows.
        List<Reason> byReason = new ArrayList<>();
        for (Map<String, Object> r : db.queryFiles("SELECT regexp_replace(reason, '[0-9]+', 'N', 'g') AS reason, count(*) AS count"
                + " FROM " + letters + " GROUP BY 1 ORDER BY count DESC, reason LIMIT 20", glob)) {
            byReason.add(new Reason(Rows.text(r.get("reason")), num(r.get("count"))));
        }
        List<Letter> latest = new ArrayList<>();
        for (Map<String, Object> r : db.queryFiles("SELECT reason, failed_at AS at FROM " + letters
                + " ORDER BY failed_at DESC LIMIT 10", glob)) {
            latest.add(new Letter(Rows.text(r.get("reason")), Rows.text(r.get("at"))));
        }
        return new DeadLetters(count, byReason, latest);
    }

    /**
     * Whether the lake has dead-letter files (a lake without the folder has none). A listing that
     * fails is an error of this answer, not "no dead letters": a health page must not say all is
     * well because it could not look.
     */
    private static boolean hasJsonLines(LakeRoot root) {
        return root.list("_deadletter", 2).stream().anyMatch(f -> f.name().endsWith(".jsonl"));
    }
}
