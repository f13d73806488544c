package io.tidings.dashboard;

import static io.tidings.dashboard.Http.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL console through the real server and real DuckDB: what it answers and everything it refuses. */
class SqlConsoleTest {
    @TempDir
    static Path lake;
    @TempDir
    static Path outside;
    static Dashboard dashboard;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        Files.writeString(outside.resolve("secret.csv"), "a,b\n1,2\n");
        dashboard = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, null, List.of(), null, Duration.ofSeconds(2)));
        base = dashboard.url();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void answersReadOnlyQueries() throws Exception {
        JsonNode r = postJson(base, "/api/sql", Map.of("sql", "SELECT platform, count(*) AS n FROM posts GROUP BY 1 ORDER BY 1")).json();
        assertThat(r.get("columns").toString()).isEqualTo("[\"platform\",\"n\"]");
        assertThat(r.get("rows").toString()).isEqualTo("[[\"bluesky\",4],[\"x\",7]]");
        assertThat(r.get("truncated").asBoolean()).isFalse();
        for (String ok : List.of("WITH t AS (SELECT 1 AS a) SELECT * FROM t", "VALUES (1), (2)", "DESCRIBE posts", "SHOW TABLES",
                "  /* why */ -- because\n select count(*) from entities;", "EXPLAIN SELECT * FROM posts", "SUMMARIZE posts",
                "SELECT * FROM top_entities")) {
            var answer = postJson(base, "/api/sql", Map.of("sql", ok));
            assertThat(answer.status()).as(ok + " → " + answer.body()).isEqualTo(200);
        }
        JsonNode limited = postJson(base, "/api/sql", Map.of("sql", "SELECT * FROM range(5000)", "max_rows", 10)).json();
        assertThat(limited.get("rows")).hasSize(10);
        assertThat(limited.get("truncated").asBoolean()).isTrue();
        assertThat(postJson(base, "/api/sql", Map.of("sql", "SELECT 1", "max_rows", 10001)).status()).isEqualTo(400);
        String lakeFile = Files.walk(lake.resolve("posts")).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow().toString();
        assertThat(postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) FROM read_parquet('" + lakeFile + "')")).status())
                .isEqualTo(200);
    }

    @Test
    void refusesEverythingElseWithAClearMessage() throws Exception {
        String secret = outside.resolve("secret.csv").toString();
        String intoLake = lake.resolve("evil.csv").toString();
        List<String> refused = List.of(
                "COPY (SELECT * FROM posts) TO '" + intoLake + "'",
                "copy (select 1) to '" + outside.resolve("x.csv") + "'",
                "/* hi */ CoPy posts_all TO '" + intoLake + "' (FORMAT csv)",
                "SELECT 1; COPY (SELECT 1) TO '" + intoLake + "'",
                "SELECT 1; SELECT 2",
                "WITH x AS (SELECT 1) COPY (SELECT * FROM x) TO '" + intoLake + "'",
                "EXPLAIN ANALYZE COPY (SELECT 1) TO '" + intoLake + "'",
                "INSERT INTO tombstones VALUES ('x:1', 'x', now(), 'evil', current_date, 1)",
                "CREATE TABLE t AS SELECT 1",
                "DROP VIEW posts",
                "ATTACH '" + outside.resolve("x.db") + "' AS other",
                "INSTALL httpfs",
                "LOAD httpfs",
                "SET enable_external_access = true",
                "RESET lock_configuration",
                "PRAGMA disable_object_cache",
                "CALL pragma_version()",
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_text('/etc/passwd')",
                "select * from READ_BLOB('/etc/hostname')",
                "SELECT * FROM read_csv('" + secret + "')",
                "SELECT * FROM '" + secret + "'",
                "FROM '" + secret + "'",
                "SELECT * FROM read_text('" + lake + "/../" + outside.getFileName() + "/secret.csv')",
                "SELECT * FROM glob('/etc/*')",
                "SELECT * FROM read_parquet('/tmp/*.parquet')",
                "WITH a AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM a",
                "");
        for (String sql : refused) {
            var answer = postJson(base, "/api/sql", Map.of("sql", sql));
            assertThat(answer.status()).as(sql + " → " + answer.body()).isIn(400);
            assertThat(answer.json().get("error").asText()).as(sql).isNotBlank();
        }
        assertThat(Files.exists(Path.of(intoLake))).isFalse();
        assertThat(Files.exists(outside.resolve("x.csv"))).isFalse();
        assertThat(postJson(base, "/api/sql", Map.of("sql", "COPY (SELECT 1) TO 'x.csv'")).json().get("error").asText())
                .contains("read-only");
        assertThat(postJson(base, "/api/sql", Map.of("sql", "SELECT 1; SELECT 2")).json().get("error").asText())
                .contains("one statement");
        // Still locked and still answering after all that.
        JsonNode setting = postJson(base, "/api/sql", Map.of("sql",
                "SELECT value FROM duckdb_settings() WHERE name = 'enable_external_access'")).json();
        assertThat(setting.get("rows").get(0).get(0).asText()).isEqualTo("false");
        assertThat(postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) FROM posts")).json().get("rows").get(0).get(0).asLong())
                .isEqualTo(11);
    }

    @Test
    void longQueriesAreCancelled() throws Exception {
        long started = System.nanoTime();
        var answer = postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) FROM range(1000000000000) a"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(408);
        assertThat(answer.json().get("error").asText()).contains("cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(postJson(base, "/api/sql", Map.of("sql", "SELECT 42")).json().get("rows").get(0).get(0).asInt()).isEqualTo(42);
    }

    @Test
    void statementsTakeTurnsAndListsAreCutLikeTexts() throws Exception {
        // Three statements that each run until cancelled (2 s here): two at a time, so the third
        // starts only when one of the first two is cancelled and ends about one limit after them.
        long started = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<Long>> ends = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ends.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    var answer = postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) FROM range(1000000000000) a"));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(408);
                    return System.nanoTime() - started;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Long> ended = ends.stream().map(java.util.concurrent.CompletableFuture::join).sorted().toList();
        assertThat(Duration.ofNanos(ended.get(2))).as("the third waited for a turn").isGreaterThan(Duration.ofMillis(3600));
        assertThat(Duration.ofNanos(ended.get(0))).isLessThan(Duration.ofMillis(3600));
        // A list of long texts counts, and is cut, as its JSON text.
        JsonNode list = postJson(base, "/api/sql", Map.of("sql", "SELECT [repeat('x', 80000), repeat('y', 80000)] AS l")).json();
        assertThat(list.get("rows").get(0).get(0).asText()).hasSizeLessThan(200_000).contains("characters of JSON, cut");
        JsonNode small = postJson(base, "/api/sql", Map.of("sql", "SELECT ['a', 'b'] AS l")).json();
        assertThat(small.get("rows").get(0).get(0).toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void downloadsCsvAndParquet() throws Exception {
        var csv = Http.get(base, "/api/sql/download?format=csv&sql=" + Http.enc("SELECT post_id, text FROM posts WHERE post_id = 'x:7'"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).startsWith("post_id,text\r\nx:7,").contains("\"\"quoted\"\"");
        var parquet = Http.get(base, "/api/sql/download?format=parquet&sql=" + Http.enc("SELECT post_id FROM posts"));
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.body()).startsWith("PAR1");
        assertThat(Http.get(base, "/api/sql/download?format=csv&sql=" + Http.enc("COPY posts TO 'x.csv'")).status()).isEqualTo(400);
    }
}
