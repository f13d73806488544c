package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidings.dashboard.api.ApiException;
import io.tidings.dashboard.fixture.FixtureLake;
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
 * The console defines its views over the lake's files at its first statement, not when it opens:
 * binding them reads every file's footer (over ten million posts: about 70 s and 1.7 GB kept), a
 * cost the dashboard's start no longer pays. A file the views cannot read then fails the statement,
 * not the start, and the next statement defines them again.
 */
class SqlConsoleLazyViewsTest {
    @TempDir
    Path lake;

    @Test
    void viewsAreBoundAtTheFirstStatementAndAgainAfterAFailure() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        Path broken = Files.walk(lake.resolve("posts")).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow()
                .resolveSibling("part-broken.parquet");
        Files.writeString(broken, "not a parquet file");
        LakeVersion version = new LakeVersion(lake);

        // Opening reads no file: the broken one does not stop it.
        try (SqlConsole console = SqlConsole.open(lake, version.snapshot(), Duration.ofSeconds(10))) {
            ApiException failed = catchThrowableOfType(() -> console.run("SELECT count(*) AS n FROM posts", null), ApiException.class);
            assertThat(failed.status()).isEqualTo(422);
            assertThat(failed.getMessage()).contains("part-broken.parquet");

            Files.delete(broken);
            Map<String, Object> answer = console.run("SELECT count(*) AS n FROM posts", null);
            assertThat(answer.get("rows").toString()).isEqualTo(List.of(List.of(11L)).toString());
        }
    }
}
