package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeTables;
import io.tidings.athena.LocalLake;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture writers produce the job's layout and types, readable by the athena module's LocalLake. */
class FixtureLakeTest {
    @TempDir
    Path lake;

    @Test
    void sampleHasTheJobsLayoutAndTypes() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        try (Stream<Path> files = Files.walk(lake.resolve("posts"))) {
            List<String> relative = files.filter(Files::isRegularFile).map(p -> lake.relativize(p).toString()).toList();
            assertThat(relative).isNotEmpty().allMatch(p -> p.matches("posts/dt=2026-11-26/hour=(09|10|11)/part-[0-9a-f-]+\\.parquet"));
        }
        String file = Files.walk(lake.resolve("posts")).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow().toString();
        // As the job writes them: millisecond timestamps not adjusted to UTC, no partition columns in the file.
        List<List<Object>> schema = Http.independent(lake, "SELECT name, logical_type FROM parquet_schema('" + file + "')"
                + " WHERE name IN ('created_at', 'ingested_at')");
        assertThat(schema).hasSize(2).allMatch(r -> r.get(1).toString().contains("isAdjustedToUTC=0")
                && r.get(1).toString().contains("MILLIS=MilliSeconds()"));
        List<Object> columns = Http.independent(lake, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + file + "', hive_partitioning = false))")
                .stream().map(r -> r.get(0)).toList();
        assertThat(columns).isEqualTo(LakeTables.POSTS.columns().stream().map(LakeTables.Column::name).toList());
        try (LocalLake local = LocalLake.open(lake)) {
            assertThat(local.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0)).isEqualTo(11L);
            assertThat(local.query("SELECT count(*) FROM entities WHERE post_id = 'x:8'", 1).rows().get(0).get(0)).isEqualTo(0L);
        }
    }

    @Test
    void syntheticLakeEntitiesPointIntoTheirPosts() throws Exception {
        SyntheticLake.write(lake, 2000, Instant.parse("2026-11-26T00:00:00Z"), 3, 7);
        try (LocalLake local = LocalLake.open(lake)) {
            assertThat((Long) local.query("SELECT count(DISTINCT post_id) FROM posts_all", 1).rows().get(0).get(0)).isEqualTo(2000L);
            // Every 40th Mastodon post has a second version, its text ending in (edited).
            long edits = (Long) local.query("SELECT count(*) FROM posts_all WHERE edited_at IS NOT NULL", 1).rows().get(0).get(0);
            assertThat(edits).isBetween(5L, 25L);
            assertThat((Long) local.query("SELECT count(*) FROM posts_all", 1).rows().get(0).get(0)).isEqualTo(2000L + edits);
            assertThat(local.query("SELECT count(*) FROM posts WHERE text LIKE '%(edited)'", 1).rows().get(0).get(0)).isEqualTo(edits);
            long entities = (Long) local.query("SELECT count(*) FROM entities", 1).rows().get(0).get(0);
            assertThat(entities).isBetween(2700L, 3300L);
            assertThat(local.query("SELECT count(*) FROM entities_all e JOIN posts_all p USING (post_id)"
                    + " WHERE substring(p.text, e.char_start + 1, e.char_end - e.char_start) <> e.text", 1).rows().get(0).get(0))
                    .isEqualTo(0L);
            assertThat(local.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0)).isEqualTo(1998L);
        }
    }
}
