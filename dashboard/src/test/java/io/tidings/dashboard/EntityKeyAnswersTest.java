package io.tidings.dashboard;

import static io.tidings.dashboard.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the demo's top entities listed {@code Ukraine} and {@code #Ukraine}, {@code twitter}
 * and {@code Twitter} apart. The dashboard groups entities by their canonical key, in files with
 * the lake's {@code text_key} and in files written before it, and shows the most frequent spelling.
 */
class EntityKeyAnswersTest {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path lake;

    @Test
    void spellingsOfOneNameAreOneEntityNamedByTheMostFrequentSpelling() throws Exception {
        FixtureLake fixture = FixtureLake.at(lake);
        fixture.entity(fixture.post("x:1", T, "Ukraine and #Ukraine today"), "Ukraine", "LOC");
        fixture.entity("x:1", "#Ukraine", "LOC", 12, 20, 0.9);
        fixture.entity(fixture.post("x:2", T.plusSeconds(60), "UKRAINE news via twitter"), "UKRAINE", "LOC");
        fixture.entity("x:2", "twitter", "ORG", 18, 25, 0.9);
        fixture.entity(fixture.post("x:3", T.plusSeconds(120), "Ukraine on Twitter"), "Ukraine", "LOC");
        fixture.entity("x:3", "Twitter", "ORG", 11, 18, 0.9);
        fixture.commit();
        // A file as the job wrote entities before text_key: its "Twitter" must join the same entity.
        Path old = Files.createDirectories(lake.resolve("entities/dt=2026-11-26/hour=10"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'x:2' AS post_id, TIMESTAMP '2026-11-26 10:01:00' AS created_at, '@Twitter' AS text,"
                    + " 'ORG' AS type, 0 AS char_start, 8 AS char_end, 0.9::DOUBLE AS score, 'm@1' AS model_version)"
                    + " TO '" + old.resolve("part-before-text-key.parquet") + "' (FORMAT parquet)");
        }
        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            JsonNode entities = get(dashboard.url(), "/api/entities?limit=10").json().get("entities");
            assertThat(entities).hasSize(2);
            assertThat(entities.get(0).get("text").asText()).isEqualTo("Ukraine");
            assertThat(entities.get(0).get("mentions").asLong()).isEqualTo(4);
            assertThat(entities.get(0).get("posts").asLong()).isEqualTo(3);
            // Twitter, twitter and @Twitter once each: on a tie a spelling without the @, then the first.
            assertThat(entities.get(1).get("text").asText()).isEqualTo("Twitter");
            assertThat(entities.get(1).get("mentions").asLong()).isEqualTo(3);

            // Any spelling finds the entity and its posts.
            for (String spelling : new String[] {"%23ukraine", "UKRAINE", "%EF%BC%83Ukraine"}) {
                JsonNode page = get(dashboard.url(), "/api/entity?text=" + spelling).json();
                assertThat(page.get("posts").asLong()).as(spelling).isEqualTo(3);
            }
            assertThat(get(dashboard.url(), "/api/posts?entity=%40twitter").json().get("total").asLong()).isEqualTo(2);
        }
    }
}
