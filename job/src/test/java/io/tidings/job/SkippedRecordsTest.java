package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that are valid but hold no post are skipped, and the run says what they were: the
 * summary counts them by kind. And one X post written with and without leading zeros is one post,
 * which a compliance delete of either form hides.
 */
class SkippedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void theSummaryCountsSkippedRecordsByKindAndXIdsAreOneFormEverywhere() throws Exception {
        String tweetEdit = "{\"data\":{\"tweet_edit\":{\"tweet\":{\"id\":\"1460323737035677698\"},"
                + "\"initial_tweet_id\":\"1460323737035677698\",\"edit_tweet_ids\":[\"1460323737035677698\"],"
                + "\"event_at\":\"2022-03-01T10:11:12.000Z\"}}}";
        Path input = TestPosts.write(dir.resolve("mixed.jsonl"), List.of(
                // the same post twice, once with leading zeros as a careless export writes it
                "{\"data\":{\"id\":\"01572965843451445248\",\"text\":\"first form\",\"created_at\":\"2022-09-22T15:07:36.000Z\"}}",
                "{\"data\":{\"id\":\"1572965843451445248\",\"text\":\"second form\",\"created_at\":\"2022-09-22T15:07:36.000Z\"}}",
                "{\"data\":{\"id\":\"1572965843451445250\",\"text\":\"kept\",\"created_at\":\"2022-09-22T15:07:37.000Z\"}}",
                // a batch compliance delete that names it with leading zeros
                "{\"id\":\"001572965843451445248\",\"action\":\"delete\",\"redacted_at\":\"2022-10-01T00:00:00.000Z\",\"reason\":\"deleted\"}",
                "{\"id\":\"1572965843451445250\",\"action\":\"delete\",\"reason\":\"scrub_geo\"}",
                tweetEdit, tweetEdit,
                "{\"did\":\"did:plc:abc\",\"time_us\":1725911162329308,\"kind\":\"identity\",\"identity\":{\"did\":\"did:plc:abc\"}}",
                "{\"data\":{\"id\":\"99999999999999999999\",\"text\":\"too big\",\"created_at\":\"2022-09-22T15:07:36.000Z\"}}"));
        JobSettings.Builder settings = TestPosts.importSettings(dir, input);
        settings.parallelism(1);

        LocalRunner.Summary summary = new LocalRunner(settings.build(), null).run();

        assertThat(summary.skipped()).isEqualTo(4);
        assertThat(summary.skippedKinds()).isEqualTo(Map.of(
                "X compliance tweet_edit", 2L, "X batch compliance scrub_geo", 1L, "Bluesky 'identity' event", 1L));
        assertThat(summary.toString()).endsWith("; skipped: 2 X compliance tweet_edit, 1 Bluesky 'identity' event,"
                + " 1 X batch compliance scrub_geo (every kind's count and one reason of each in the log)");
        assertThat(summary.duplicates()).as("0157… and 157… are one post").isEqualTo(1);
        assertThat(summary.deadLetters()).isEqualTo(1);
        try (LocalLake lake = LocalLake.open(dir.resolve("lake"))) {
            assertThat(lake.query("SELECT post_id FROM posts_all ORDER BY post_id", 10).rows()).containsExactly(
                    List.of("x:1572965843451445248"), List.of("x:1572965843451445250"));
            assertThat(lake.query("SELECT post_id FROM posts", 10).rows())
                    .as("the delete written with leading zeros hides the post").containsExactly(List.of("x:1572965843451445250"));
        }
        assertThat(TidingsJobTest.deadLetters(dir.resolve("lake"))).singleElement().satisfies(letter -> assertThat(
                letter.path("reason").asText()).isEqualTo("data.id '99999999999999999999' is larger than any X id can be"
                        + " (X ids are 64-bit numbers, at most 9223372036854775807)"));
    }
}
