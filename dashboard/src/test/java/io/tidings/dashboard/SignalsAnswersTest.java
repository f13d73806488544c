package io.tidings.dashboard;

import static io.tidings.dashboard.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: {@code /api/signals} counts each emotion per bucket and the offensive, hate and ironic
 * posts among those with signals; posts without signals (older files, models without the heads)
 * are counted apart as unscored, never as "not offensive".
 */
class SignalsAnswersTest {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    static final List<String> SIGNAL_COLUMNS = List.of("emotion", "emotion_score", "offensive", "offensive_score", "hate",
            "hate_score", "irony", "irony_score");

    @TempDir
    Path lake;

    @Test
    void countsAndSharesPerBucketAndInTotal() throws Exception {
        FixtureLake fixture = FixtureLake.at(lake);
        // 10:00-10:59: three posts with signals, one without.
        post(fixture, "x:1", 0, "x").signals("joy", 0.7, 0.9, 0.1, 0.7);      // offensive, ironic
        post(fixture, "x:2", 5, "x").signals("joy", 0.6, 0.2, 0.6, 0.1);      // hateful
        post(fixture, "x:3", 10, "x").signals("anger", 0.8, 0.8, 0.7, 0.2);   // offensive, hateful
        post(fixture, "x:4", 15, "x");                                         // no signals
        // 11:00-11:59: four with signals (one of a model with an emotion head only), one without, one deleted, one edited.
        post(fixture, "bluesky:5", 60, "bluesky").signals("sadness", 0.9, 0.1, 0.1, 0.9); // ironic
        post(fixture, "x:6", 65, "x").signals("optimism", 0.5, 0.3, 0.2, 0.4);
        post(fixture, "x:7", 70, "x");
        FixtureLake.Post emotionOnly = post(fixture, "x:10", 72, "x");
        emotionOnly.emotion = "surprise";
        emotionOnly.emotionScore = 0.6;
        post(fixture, "x:8", 75, "x").signals("anger", 0.9, 0.95, 0.9, 0.9);
        fixture.tombstone("x:8", "x", T.plusSeconds(80 * 60));
        FixtureLake.Post original = post(fixture, "x:9", 80, "x").signals("joy", 0.9, 0.9, 0.1, 0.1);
        fixture.edit(original, T.plusSeconds(85 * 60), "signal post edited").signals("sadness", 0.7, 0.1, 0.1, 0.1);
        fixture.commit();

        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            JsonNode s = get(dashboard.url(), "/api/signals?bucket=hour").json();
            assertThat(s.get("bucket").asText()).isEqualTo("hour");
            // The model's four emotions first, then any other label found.
            assertThat(texts(s.get("emotions"))).containsExactly("anger", "joy", "optimism", "sadness", "surprise");

            JsonNode totals = s.get("totals");
            assertCounts(totals, 9, 7, 2, Map.of("anger", 1L, "joy", 2L, "optimism", 1L, "sadness", 2L, "surprise", 1L));
            // Shares among the posts whose signal is known: x:10 has an emotion only, so 6, not 7.
            assertFlag(totals.get("offensive"), 2, 6);
            assertFlag(totals.get("hate"), 2, 6);
            assertFlag(totals.get("irony"), 2, 6);

            JsonNode points = s.get("points");
            assertThat(points).hasSize(2);
            assertThat(points.get(0).get("t").asText()).isEqualTo("2026-11-26T10:00:00Z");
            assertCounts(points.get(0), 4, 3, 1, Map.of("anger", 1L, "joy", 2L, "optimism", 0L, "sadness", 0L, "surprise", 0L));
            assertFlag(points.get(0).get("offensive"), 2, 3);
            assertFlag(points.get(0).get("hate"), 2, 3);
            assertFlag(points.get(0).get("irony"), 1, 3);
            assertThat(points.get(1).get("t").asText()).isEqualTo("2026-11-26T11:00:00Z");
            assertCounts(points.get(1), 5, 4, 1, Map.of("anger", 0L, "joy", 0L, "optimism", 1L, "sadness", 2L, "surprise", 1L));
            assertFlag(points.get(1).get("offensive"), 0, 3);
            assertFlag(points.get(1).get("hate"), 0, 3);
            assertFlag(points.get(1).get("irony"), 1, 3);

            // Filters: one that fits post_signals, and text, which reads the posts view: the same counts.
            JsonNode bluesky = get(dashboard.url(), "/api/signals?bucket=hour&platform=bluesky").json().get("totals");
            assertCounts(bluesky, 1, 1, 0, Map.of("anger", 0L, "joy", 0L, "optimism", 0L, "sadness", 1L));
            assertFlag(bluesky.get("irony"), 1, 1);
            assertFlag(bluesky.get("offensive"), 0, 1);
            JsonNode byText = get(dashboard.url(), "/api/signals?bucket=hour&q=SIGNAL").json();
            assertThat(byText).isEqualTo(s);
            JsonNode firstHour = get(dashboard.url(), "/api/signals?from=2026-11-26T10:00:00Z&to=2026-11-26T11:00:00Z").json();
            assertThat(firstHour.get("bucket").asText()).isEqualTo("minute");
            assertThat(firstHour.get("points")).hasSize(60);
            assertCounts(firstHour.get("totals"), 4, 3, 1, Map.of("anger", 1L, "joy", 2L, "optimism", 0L, "sadness", 0L));
            assertThat(texts(firstHour.get("emotions"))).containsExactly("anger", "joy", "optimism", "sadness");
            assertFlag(firstHour.get("totals").get("offensive"), 2, 3);
            assertThat(firstHour.get("points").get(5).get("emotions").get("joy").asLong()).isEqualTo(1);
            assertThat(firstHour.get("points").get(6).get("posts").asLong()).isZero();
            assertThat(firstHour.get("points").get(6).get("offensive").get("share").isNull()).isTrue();

            // No post matches: the same fields, the four emotions, empty points, null shares.
            assertThat(get(dashboard.url(), "/api/signals?platform=nope").body()).isEqualTo("{\"bucket\":\"hour\","
                    + "\"emotions\":[\"anger\",\"joy\",\"optimism\",\"sadness\"],\"totals\":{\"posts\":0,\"scored\":0,\"unscored\":0,"
                    + "\"emotions\":{\"anger\":0,\"joy\":0,\"optimism\":0,\"sadness\":0},"
                    + "\"offensive\":{\"posts\":0,\"scored\":0,\"share\":null},\"hate\":{\"posts\":0,\"scored\":0,\"share\":null},"
                    + "\"irony\":{\"posts\":0,\"scored\":0,\"share\":null}},\"points\":[]}");
            assertThat(get(dashboard.url(), "/api/signals?bucket=week").status()).isEqualTo(400);
        }
    }

    @Test
    void postsInFilesWrittenBeforeTheSignalsAreUnscoredNotHarmless() throws Exception {
        FixtureLake fixture = FixtureLake.at(lake);
        for (int i = 0; i < 3; i++) {
            post(fixture, "x:old" + i, i, "x");
        }
        fixture.commitWithout(SIGNAL_COLUMNS);
        assertThat(postsFileColumns()).as("the older file really lacks the columns").doesNotContainAnyElementsOf(SIGNAL_COLUMNS)
                .contains("scored_at");

        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            JsonNode only = get(dashboard.url(), "/api/signals").json().get("totals");
            assertCounts(only, 3, 0, 3, Map.of("anger", 0L, "joy", 0L, "optimism", 0L, "sadness", 0L));
            assertFlag(only.get("offensive"), 0, 0);

            // Newer files beside them: shares over the two scored posts only, the three old ones apart.
            FixtureLake later = FixtureLake.at(lake);
            post(later, "x:new1", 30, "x").signals("anger", 0.8, 0.9, 0.2, 0.3);
            post(later, "x:new2", 31, "x").signals("joy", 0.8, 0.1, 0.2, 0.3);
            later.commit();
            JsonNode both = awaitPosts(dashboard, 5);
            assertCounts(both, 5, 2, 3, Map.of("anger", 1L, "joy", 1L, "optimism", 0L, "sadness", 0L));
            assertFlag(both.get("offensive"), 1, 2);
            assertFlag(both.get("hate"), 0, 2);

            // The console reads the old rows' columns as null, not false.
            JsonNode console = Http.postJson(dashboard.url(), "/api/sql", Map.of("sql",
                    "SELECT count(*) AS n, count(offensive) AS known, count_if(NOT offensive) AS no FROM posts")).json();
            assertThat(console.get("rows").get(0).toString()).isEqualTo("[5,2,1]");
        }
    }

    private JsonNode awaitPosts(Dashboard dashboard, long posts) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode totals = get(dashboard.url(), "/api/signals").json().get("totals");
            if (totals.get("posts").asLong() == posts || System.currentTimeMillis() > deadline) {
                return totals;
            }
            Thread.sleep(200);
        }
    }

    private List<String> postsFileColumns() throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM parquet_schema('" + lake.toAbsolutePath() + "/posts/*/*/*.parquet')")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private static FixtureLake.Post post(FixtureLake fixture, String id, int minute, String platform) {
        FixtureLake.Post p = fixture.post(id, T.plusSeconds(minute * 60L), "signal post " + id);
        p.platform = platform;
        p.langDetected = "en";
        p.matchedRules = List.of("btc");
        return p;
    }

    private static void assertCounts(JsonNode counts, long posts, long scored, long unscored, Map<String, Long> emotions) {
        assertThat(counts.get("posts").asLong()).as("posts").isEqualTo(posts);
        assertThat(counts.get("scored").asLong()).as("scored").isEqualTo(scored);
        assertThat(counts.get("unscored").asLong()).as("unscored").isEqualTo(unscored);
        emotions.forEach((label, n) -> assertThat(counts.get("emotions").get(label).asLong()).as(label).isEqualTo(n));
    }

    private static void assertFlag(JsonNode flag, long posts, long scored) {
        assertThat(flag.get("posts").asLong()).isEqualTo(posts);
        assertThat(flag.get("scored").asLong()).isEqualTo(scored);
        if (scored == 0) {
            assertThat(flag.get("share").isNull()).as("no share without scored posts").isTrue();
        } else {
            assertThat(flag.get("share").asDouble()).isCloseTo((double) posts / scored, within(1e-12));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
