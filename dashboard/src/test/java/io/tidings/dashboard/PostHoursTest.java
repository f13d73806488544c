package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.api.Filters;
import io.tidings.dashboard.api.LakeApi;
import io.tidings.dashboard.api.OverviewQuery;
import io.tidings.dashboard.api.PostsQuery;
import io.tidings.dashboard.api.TimeseriesQuery;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code post_hours}, the per-hour counts the time series and the posts' time range read, is patched
 * per partition as files load; after commits of new posts, an edit that changes a post's sentiment in
 * a later partition, and deletions of posts in partitions no other file touches, it equals the same
 * counts computed from scratch from the {@code posts} view, the time series built from it adds
 * up to the overview for the same filters, and the feed's pages (sorted out of the newest hours it
 * says hold enough posts) are those over every post.
 */
class PostHoursTest {
    static final Instant END = Instant.parse("2026-11-26T00:00:00Z");
    /** post_hours computed from scratch: the live posts (newest versions, deletions left out). */
    static final String FROM_SCRATCH = "SELECT dt, hour, CAST(date_trunc('hour', created_at) AS TIMESTAMP) AS t, platform,"
            + " lang_detected, sentiment, matched_rules, count(*) AS posts, min(created_at) AS first, max(created_at) AS last"
            + " FROM posts GROUP BY ALL ORDER BY ALL";
    static final String MAINTAINED = "SELECT * FROM post_hours ORDER BY ALL";

    @TempDir
    Path lake;
    @TempDir
    Path cache;

    @Test
    void perHourCountsEqualAFromScratchComputationAfterCommitsEditsAndDeletes() throws Exception {
        SyntheticLake.write(lake, 3_000, END, 2, 5);
        FixtureLake first = FixtureLake.at(lake);
        FixtureLake.Post original = first.post("bluesky:5001", END.minusSeconds(30 * 3600), "a calm day");
        original.platform = "bluesky";
        original.sentiment = "positive";
        original.langDetected = "en";
        original.matchedRules = List.of("calm");
        first.commit();
        LakeVersion version = new LakeVersion(lake.toAbsolutePath().normalize());

        try (LakeDatabase db = LakeDatabase.open(lake, version.snapshot(), new LakeDatabase.Storage(cache.resolve("db"), "256MB"))) {
            assertThat(rows(db, MAINTAINED)).hasSizeGreaterThan(100).isEqualTo(rows(db, FROM_SCRATCH));
            Map<String, Object> deleted = db.one("SELECT post_id, platform, dt, hour FROM posts"
                    + " WHERE dt = DATE '2026-11-24' AND hour = 5 AND platform = 'x' ORDER BY post_id LIMIT 1", List.of());
            long postsBefore = count(db, "SELECT * FROM posts");

            // Later files: posts of the newest hour, the original edited 25 hours later into another
            // sentiment (its later partition), and two deletions: one of a post in an hour no other
            // file of this commit touches, one of the original (after its edit, in the same commit).
            FixtureLake later = FixtureLake.at(lake);
            for (int i = 0; i < 30; i++) {
                FixtureLake.Post p = later.post("x:late-" + i, END.minusSeconds(200 + i), "late post " + i);
                p.platform = "x";
                p.sentiment = i % 3 == 0 ? "negative" : null;
                p.matchedRules = List.of("calm", "late");
            }
            FixtureLake.Post edit = later.edit(original, END.minusSeconds(5 * 3600), "a stormy day");
            edit.sentiment = "negative";
            later.commit();
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();
            assertThat(rows(db, MAINTAINED)).isEqualTo(rows(db, FROM_SCRATCH));
            assertThat(count(db, "SELECT * FROM post_hours WHERE platform = 'bluesky' AND matched_rules = ['calm']"
                    + " AND sentiment = 'negative'")).as("the edit counts with its new sentiment").isEqualTo(1);
            assertThat(count(db, "SELECT * FROM post_hours WHERE platform = 'bluesky' AND matched_rules = ['calm']"
                    + " AND sentiment = 'positive'")).as("the version it replaced no longer counts").isZero();

            FixtureLake deletions = FixtureLake.at(lake);
            deletions.tombstone((String) deleted.get("post_id"), (String) deleted.get("platform"), END.minusSeconds(60));
            deletions.tombstone("bluesky:5001", "bluesky", END.minusSeconds(50));
            deletions.commit();
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();
            assertThat(count(db, "SELECT * FROM posts")).isEqualTo(postsBefore + 30 - 2);
            assertThat(rows(db, MAINTAINED)).isEqualTo(rows(db, FROM_SCRATCH));
            assertThat(((Number) db.one("SELECT sum(posts) AS n FROM post_hours", List.of()).get("n")).longValue())
                    .isEqualTo(postsBefore + 30 - 2);

            // A database loaded from scratch over the same lake has the same table.
            try (LakeDatabase fresh = LakeDatabase.open(lake, version.rescan())) {
                assertThat(rows(fresh, MAINTAINED)).isEqualTo(rows(db, MAINTAINED));
            }

            // The time series (from post_hours) adds up to the overview (from the posts), with and
            // without filters; a range from a whole hour is answered from post_hours too.
            LakeApi api = new LakeApi(db, version);
            for (Filters f : List.of(Filters.NONE,
                    new Filters(Instant.parse("2026-11-24T05:00:00Z"), null, List.of("x"),
                            "calm", List.of(), List.of("negative", "unscored"), List.of(), List.of(), null, null, null, null))) {
                assertThat(f.fitsPostHours()).isTrue();
                OverviewQuery.Overview overview = api.overview(f);
                for (String bucket : List.of("hour", "day", "auto")) {
                    TimeseriesQuery.Timeseries series = api.timeseries(f, bucket);
                    assertThat(series.points().stream().mapToLong(TimeseriesQuery.Point::posts).sum()).as(bucket).isEqualTo(overview.posts());
                    assertThat(series.points().stream().mapToLong(TimeseriesQuery.Point::negative).sum()).isEqualTo(overview.negative());
                    assertThat(series.points().stream().mapToLong(TimeseriesQuery.Point::positive).sum()).isEqualTo(overview.positive());
                    assertThat(series.points().stream().mapToLong(TimeseriesQuery.Point::unscored).sum())
                            .isEqualTo(overview.posts() - overview.scored());
                }
                assertThat(overview.posts()).isGreaterThan(0);
                // The series over the posts themselves (a minute bucket, or a text filter, reads them).
                assertThat(hourly(api.timeseries(f, "minute"))).isEqualTo(hourly(api.timeseries(f, "hour")));

                // The feed's pages, newest first, are sorted out of the newest hours post_hours says
                // hold enough posts: the same pages, and total, as over every post.
                Filters.Condition c = f.on("p");
                for (int[] page : new int[][] {{50, 0}, {1, 0}, {7, 3}, {13, 40}, {50, 1000}, {200, (int) overview.posts() - 20},
                        {50, (int) overview.posts() + 5}}) {
                    PostsQuery.Posts posts = api.posts(f, "time", page[0], page[1]);
                    List<Object> params = new ArrayList<>(c.params());
                    params.add(page[0]);
                    params.add(page[1]);
                    assertThat(posts.posts()).extracting(PostsQuery.Post::postId).as("limit %d offset %d", page[0], page[1])
                            .isEqualTo(db.query("SELECT post_id FROM posts p WHERE " + c.sql()
                                    + " ORDER BY created_at DESC, post_id LIMIT ? OFFSET ?", params).stream().map(r -> r.get("post_id")).toList());
                    assertThat(posts.total()).isEqualTo(overview.posts());
                }
            }
        }
    }

    /** A series' counts summed per hour: a minute series and an hour series over the same posts agree. */
    private static Map<String, List<Long>> hourly(TimeseriesQuery.Timeseries series) {
        Map<String, List<Long>> byHour = new java.util.TreeMap<>();
        for (TimeseriesQuery.Point p : series.points()) {
            String hour = Instant.parse(p.t()).truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString();
            List<Long> sums = byHour.computeIfAbsent(hour, h -> new java.util.ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L)));
            long[] add = {p.posts(), p.negative(), p.neutral(), p.positive(), p.unscored()};
            for (int i = 0; i < add.length; i++) {
                sums.set(i, sums.get(i) + add[i]);
            }
        }
        byHour.values().removeIf(sums -> sums.get(0) == 0);
        return byHour;
    }

    private static List<String> rows(LakeDatabase db, String sql) throws Exception {
        return db.query(sql, List.of()).stream().map(Map::toString).toList();
    }

    private static long count(LakeDatabase db, String sql) throws Exception {
        return ((Number) db.one("SELECT count(*) AS n FROM (" + sql + ")", List.of()).get("n")).longValue();
    }
}
