package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.athena.LakeLayout;
import io.tidings.athena.LocalLake;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same posts in a lake partitioned by hour and in one partitioned by day: every API answer,
 * the SQL console and LocalLake's views are the same (dt and hour included).
 */
class LakeLayoutTest {
    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDayLakeAnswersAsAnHourLake() throws Exception {
        Path byHour = dir.resolve("by-hour");
        Path byDay = dir.resolve("by-day");
        FixtureLake.writeSample(byHour, END);
        FixtureLake.writeSample(byDay, END, LakeLayout.DAY);
        assertThat(LakeLayout.of(byDay)).isEqualTo(LakeLayout.DAY);
        assertThat(LakeLayout.of(byHour)).isEqualTo(LakeLayout.HOUR);
        try (Stream<Path> files = Files.walk(byDay.resolve("posts"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")))
                    .isNotEmpty().allSatisfy(p -> assertThat(p.getParent().getFileName().toString()).startsWith("dt="));
        }

        try (Dashboard hour = Dashboard.start(Dashboard.Options.local(byHour));
                Dashboard day = Dashboard.start(Dashboard.Options.local(byDay))) {
            for (String endpoint : List.of("/api/overview", "/api/timeseries?bucket=hour", "/api/entities",
                    "/api/terms?kind=hashtag", "/api/posts?limit=50", "/api/entity?text=Bitcoin&type=ORG", "/api/health")) {
                assertThat(comparable(Http.get(day.url(), endpoint).json())).as(endpoint)
                        .isEqualTo(comparable(Http.get(hour.url(), endpoint).json()));
            }
            String sql = "SELECT post_id, dt, hour, created_at FROM posts ORDER BY post_id";
            JsonNode fromDay = Http.postJson(day.url(), "/api/sql", Map.of("sql", sql)).json().get("rows");
            assertThat(fromDay).isEqualTo(Http.postJson(hour.url(), "/api/sql", Map.of("sql", sql)).json().get("rows"));
            assertThat(fromDay.size()).isGreaterThan(5);
        }
        try (LocalLake hour = LocalLake.open(byHour); LocalLake day = LocalLake.open(byDay)) {
            for (String sql : List.of("SELECT * FROM posts_enriched ORDER BY post_id, entity_start",
                    "SELECT * FROM top_entities ORDER BY entity, entity_type", "SELECT * FROM entities ORDER BY post_id, char_start",
                    "SELECT * FROM tombstones")) {
                assertThat(day.query(sql, 1000).rows()).as(sql).isEqualTo(hour.query(sql, 1000).rows());
            }
        }
    }

    /** An answer without what differs between two lakes by nature: their paths, file counts and versions. */
    private static JsonNode comparable(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        if (copy instanceof ObjectNode object) {
            object.remove(List.of("lake_version", "lake", "files", "last_commit"));
        }
        return copy;
    }
}
