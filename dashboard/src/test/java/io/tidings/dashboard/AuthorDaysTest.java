package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.api.Filters;
import io.tidings.dashboard.api.LakeApi;
import io.tidings.dashboard.api.OverviewQuery;
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
 * {@code author_days} and {@code author_totals}, the per-day and whole-lake per-author rows the
 * overview counts distinct authors and reach from, are patched as files load (a day, and the
 * authors of the posts in the hours it touches) and equal a computation from scratch after commits,
 * an edit into another day (and to another author) and deletions, then commits of new posts only
 * (whose totals move by a delta); and the overview answers exactly what the same question over
 * every post answers, for ranges on whole days, ranges that start or end within a day (the hours
 * outside whole days read from the posts), ranges within one day, open ends, platforms, and filters
 * the table cannot answer (which read the posts).
 */
class AuthorDaysTest {
    static final Instant END = Instant.parse("2026-11-26T00:00:00Z");
    /** author_days computed from scratch: the live posts (newest versions, deletions left out). */
    static final String FROM_SCRATCH = "SELECT dt, CAST(created_at AS DATE) AS d, platform, author_id, count(*) AS posts,"
            + " count(sentiment) AS scored, count_if(sentiment = 'negative') AS negative, count_if(sentiment = 'neutral') AS neutral,"
            + " count_if(sentiment = 'positive') AS positive, max(author_followers) AS followers, min(created_at) AS first,"
            + " max(created_at) AS last FROM posts GROUP BY ALL ORDER BY ALL";
    /** author_totals computed from scratch: per platform and author over every live post. */
    static final String TOTALS_FROM_SCRATCH = "SELECT platform, author_id, count(*) AS posts, count(sentiment) AS scored,"
            + " count_if(sentiment = 'negative') AS negative, count_if(sentiment = 'neutral') AS neutral,"
            + " count_if(sentiment = 'positive') AS positive, max(author_followers) AS followers, min(created_at) AS first,"
            + " max(created_at) AS last FROM posts GROUP BY ALL ORDER BY ALL";

    @TempDir
    Path lake;
    @TempDir
    Path cache;

    @Test
    void overviewFromAuthorDaysEqualsTheOverviewOverEveryPost() throws Exception {
        SyntheticLake.write(lake, 4_000, END, 3, 17);
        FixtureLake first = FixtureLake.at(lake);
        // An author whose followers grow during a day: reach is the author's most followers in the range.
        for (int i = 0; i < 6; i++) {
            FixtureLake.Post p = first.post("x:grow-" + i, Instant.parse("2026-11-24T02:00:00Z").plusSeconds(i * 4 * 3600L), "post " + i);
            p.platform = "x";
            p.authorId = "grower";
            p.authorFollowers = 1_000_000L + i;
            p.sentiment = i % 2 == 0 ? "positive" : "negative";
        }
        FixtureLake.Post original = first.post("bluesky:7001", Instant.parse("2026-11-23T10:00:00Z"), "a calm day");
        original.platform = "bluesky";
        original.authorId = "moved";
        original.sentiment = "positive";
        first.commit();
        LakeVersion version = new LakeVersion(lake.toAbsolutePath().normalize());

        try (LakeDatabase db = LakeDatabase.open(lake, version.snapshot(), new LakeDatabase.Storage(cache.resolve("db"), "256MB"))) {
            assertThat(rows(db, "SELECT * FROM author_days ORDER BY ALL")).hasSizeGreaterThan(100).isEqualTo(rows(db, FROM_SCRATCH));
            assertThat(rows(db, "SELECT * FROM author_totals ORDER BY ALL")).hasSizeGreaterThan(100).isEqualTo(rows(db, TOTALS_FROM_SCRATCH));
            assertThat(count(db, "SELECT * FROM author_days")).as("fewer rows than posts").isLessThan(count(db, "SELECT * FROM posts"));
            assertOverviewsAgree(db, version);

            // An edit of a post into another day (its author changes too), and deletions: one of a
            // post in a day no other file of the commit touches.
            Map<String, Object> deleted = db.one("SELECT post_id, platform FROM posts WHERE dt = DATE '2026-11-23'"
                    + " AND platform = 'mastodon' ORDER BY post_id LIMIT 1", List.of());
            FixtureLake later = FixtureLake.at(lake);
            FixtureLake.Post edit = later.edit(original, Instant.parse("2026-11-25T20:00:00Z"), "a stormy day");
            edit.createdAt = Instant.parse("2026-11-25T19:00:00Z");
            edit.authorId = "moved-on";
            edit.sentiment = "negative";
            later.tombstone((String) deleted.get("post_id"), (String) deleted.get("platform"), END.minusSeconds(60));
            later.commit();
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();
            assertThat(rows(db, "SELECT * FROM author_days ORDER BY ALL")).isEqualTo(rows(db, FROM_SCRATCH));
            assertThat(rows(db, "SELECT * FROM author_totals ORDER BY ALL")).isEqualTo(rows(db, TOTALS_FROM_SCRATCH));
            assertThat(count(db, "SELECT * FROM author_totals WHERE author_id = 'moved'")).as("its only post moved to another author").isZero();
            assertThat(count(db, "SELECT * FROM author_days WHERE author_id = 'moved'")).as("the edited version's day no longer counts it").isZero();
            assertThat(count(db, "SELECT * FROM author_days WHERE author_id = 'moved-on' AND d = DATE '2026-11-25'")).isEqualTo(1);
            assertOverviewsAgree(db, version);

            // Then posts only come, as in a stream (the totals move by a delta, LakeDatabase): the growing
            // author again with more followers, an author whose posts have no sentiment (null counts), and
            // a post in the hour of the deleted one, whose author is in that hour but has no live post there.
            Instant deletedAt = Instant.parse(db.one("SELECT created_at FROM posts_all WHERE post_id = ?",
                    List.of(deleted.get("post_id"))).get("created_at").toString());
            FixtureLake stream = FixtureLake.at(lake);
            FixtureLake.Post more = stream.post("x:grow-late", Instant.parse("2026-11-24T23:00:00Z"), "post late");
            more.platform = "x";
            more.authorId = "grower";
            more.authorFollowers = 2_000_000L;
            more.sentiment = "neutral";
            for (int i = 0; i < 2; i++) {
                FixtureLake.Post quiet = stream.post("x:quiet-" + i, END.minusSeconds(3_600L * (i + 2)), "no sentiment " + i);
                quiet.platform = "x";
                quiet.authorId = "quiet";
                quiet.sentiment = null;
            }
            FixtureLake.Post neighbour = stream.post("mastodon:neighbour", deletedAt.plusSeconds(1), "same hour as the deleted one");
            neighbour.platform = "mastodon";
            stream.commit();
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();
            assertThat(rows(db, "SELECT * FROM author_days ORDER BY ALL")).isEqualTo(rows(db, FROM_SCRATCH));
            assertThat(rows(db, "SELECT * FROM author_totals ORDER BY ALL")).isEqualTo(rows(db, TOTALS_FROM_SCRATCH));
            assertThat(db.one("SELECT posts::VARCHAR || ' ' || followers || ' ' || negative AS t FROM author_totals"
                    + " WHERE author_id = 'grower'", List.of()).get("t")).isEqualTo("7 2000000 3");
            assertThat(db.one("SELECT posts::VARCHAR || ' ' || coalesce(negative::VARCHAR, 'null') AS t FROM author_totals"
                    + " WHERE author_id = 'quiet'", List.of()).get("t")).isEqualTo("2 null");
            assertOverviewsAgree(db, version);
        }
    }

    private static void assertOverviewsAgree(LakeDatabase db, LakeVersion version) throws Exception {
        LakeApi api = new LakeApi(db, version);
        List<Filters> cases = new ArrayList<>();
        String[][] ranges = {
            {null, null}, {"2026-11-24T00:00:00Z", null}, {null, "2026-11-25T00:00:00Z"},
            {"2026-11-23T00:00:00Z", "2026-11-25T00:00:00Z"}, // whole days
            {"2026-11-23T13:30:00Z", null}, {null, "2026-11-24T17:45:00Z"}, // an end within a day
            {"2026-11-23T13:30:00Z", "2026-11-25T06:15:00Z"}, // both ends within days, a whole day between
            {"2026-11-24T06:00:00Z", "2026-11-25T06:00:00Z"}, // within days, no whole day between
            {"2026-11-24T03:00:00Z", "2026-11-24T21:00:00Z"}, // within one day
            {"2026-11-24T00:00:00Z", "2026-11-24T12:00:00Z"}, // from midnight to midday
            {"2026-11-24T10:00:00Z", "2026-11-25T00:00:00Z"}, // from midday to midnight
        };
        for (String[] r : ranges) {
            Instant from = r[0] == null ? null : Instant.parse(r[0]);
            Instant to = r[1] == null ? null : Instant.parse(r[1]);
            for (List<String> platforms : List.of(List.<String>of(), List.of("x"), List.of("x", "bluesky"))) {
                cases.add(new Filters(from, to, platforms, null, List.of(), List.of(), List.of(), List.of(), null, null, null, null));
            }
        }
        // Filters author_days has no column for: read from the posts.
        cases.add(new Filters(Instant.parse("2026-11-24T00:00:00Z"), null, List.of(), null, List.of("en"), List.of(), List.of(),
                List.of(), null, null, null, null));
        cases.add(new Filters(null, null, List.of("x"), null, List.of(), List.of("negative"), List.of(), List.of(), null, null, null, null));
        for (Filters f : cases) {
            OverviewQuery.Overview answer = api.overview(f);
            Filters.Condition c = f.on("p");
            Map<String, Object> expected = db.one("SELECT count(*) AS posts, count(DISTINCT author_id) AS authors,"
                    + " count(sentiment) AS scored, count_if(sentiment = 'negative') AS negative, count_if(sentiment = 'neutral') AS neutral,"
                    + " count_if(sentiment = 'positive') AS positive, min(created_at) AS first, max(created_at) AS last,"
                    + " (SELECT sum(m) FROM (SELECT max(author_followers) AS m FROM posts p WHERE " + c.sql() + " GROUP BY author_id"
                    + "   HAVING author_id IS NOT NULL)) AS reach FROM posts p WHERE " + c.sql(), doubled(c.params()));
            String what = f.from() + " → " + f.to() + " " + f.platforms() + " " + f.langs() + " " + f.sentiments();
            assertThat(answer.posts()).as(what).isEqualTo(((Number) expected.get("posts")).longValue());
            assertThat(answer.authors()).as(what).isEqualTo(((Number) expected.get("authors")).longValue());
            assertThat(List.of(answer.scored(), answer.negative(), answer.neutral(), answer.positive())).as(what)
                    .isEqualTo(List.of(num(expected.get("scored")), num(expected.get("negative")), num(expected.get("neutral")),
                            num(expected.get("positive"))));
            assertThat(answer.reach()).as(what).isEqualTo(num(expected.get("reach")));
            assertThat(answer.first()).as(what).isEqualTo(expected.get("first"));
            assertThat(answer.last()).as(what).isEqualTo(expected.get("last"));
        }
        assertThat(api.overview(Filters.NONE).reach()).as("the growing author counts once, with its most followers")
                .isGreaterThanOrEqualTo(1_000_005L);
    }

    private static List<Object> doubled(List<Object> params) {
        List<Object> both = new ArrayList<>(params);
        both.addAll(params);
        return both;
    }

    private static long num(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    private static List<String> rows(LakeDatabase db, String sql) throws Exception {
        return db.query(sql, List.of()).stream().map(Map::toString).toList();
    }

    private static long count(LakeDatabase db, String sql) throws Exception {
        return ((Number) db.one("SELECT count(*) AS n FROM (" + sql + ")", List.of()).get("n")).longValue();
    }
}
