package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidings.dashboard.api.ApiException;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import io.tidings.dashboard.sql.SqlConsole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console answers from the dashboard's own tables, not by binding views over every file of the
 * lake (over ten million posts that took about 70 s and 1.7 GB before its first answer): a file the
 * loader cannot read yet does not fail its statements, its answers are the dashboard's, a commit
 * shows up once the dashboard has loaded it, and its memory is the dashboard's limit. Files of the
 * lake can still be read by path; the sandbox is locked on the shared database.
 */
class SqlConsoleTablesTest {
    @TempDir
    Path lake;
    @TempDir
    Path cache;

    @Test
    void statementsReadTheDashboardsTables() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        Path posts = Files.walk(lake.resolve("posts")).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Path broken = posts.resolveSibling("part-broken.parquet");
        Files.writeString(broken, "not a parquet file");
        LakeVersion version = new LakeVersion(lake);

        try (LakeDatabase db = LakeDatabase.open(lake, version.snapshot(), new LakeDatabase.Storage(cache.resolve("db"), "256MB"));
                SqlConsole console = SqlConsole.open(db, Duration.ofSeconds(10))) {
            // The broken file is not loaded (the loader retries it); the console answers anyway.
            assertThat(rows(console, "SELECT count(*) AS n FROM posts")).isEqualTo(List.of(List.of(11L)).toString());
            assertThat(rows(console, "SELECT count(*) AS n FROM posts")).isEqualTo(
                    List.of(List.of(db.one("SELECT count(*) AS n FROM posts", List.of()).get("n"))).toString());
            // The dashboard's memory limit, and a locked sandbox.
            assertThat(rows(console, "SELECT current_setting('memory_limit'), current_setting('lock_configuration'),"
                    + " current_setting('enable_external_access')")).startsWith("[[244").endsWith("true, false]]");

            // A file read by path fails on its own; the tables do not read it.
            ApiException failed = catchThrowableOfType(() -> console.run("SELECT count(*) FROM read_parquet("
                    + "'" + broken + "')", null), ApiException.class);
            assertThat(failed.status()).isEqualTo(422);
            assertThat(failed.getMessage()).contains("part-broken.parquet");
            assertThat(rows(console, "SELECT count(*) FROM read_parquet('" + posts + "')")).isNotEqualTo("[[0]]");

            // With the lake's files gone the tables still answer: nothing is read from the files.
            Files.delete(broken);
            Path moved = Files.move(lake.resolve("entities"), cache.resolve("entities-moved"));
            assertThat(rows(console, "SELECT count(*) AS n FROM entities")).isNotEqualTo("[[0]]");
            Files.move(moved, lake.resolve("entities"));

            // A commit shows up once the dashboard has loaded it.
            FixtureLake later = FixtureLake.at(lake);
            later.post("x:late", Instant.parse("2026-11-26T12:30:00Z"), "late news");
            later.commit();
            assertThat(rows(console, "SELECT count(*) AS n FROM posts")).isEqualTo("[[11]]");
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();
            assertThat(rows(console, "SELECT count(*) AS n FROM posts")).isEqualTo("[[12]]");
        }
    }

    private static String rows(SqlConsole console, String sql) {
        Map<String, Object> answer = console.run(sql, null);
        return answer.get("rows").toString();
    }
}
