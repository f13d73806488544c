package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LocalLake;
import io.tidings.job.rescore.RescoreLock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rescore of a lake at a time (red-team finding: two rescores started together on one lake each
 * wrote every rescored row, so the history held them twice). While another process holds the lake's
 * lock a rescore is refused with exit code 2, naming the holder, before it writes anything; once the
 * lock is let go the same command runs. That the lock goes with a killed process is {@code
 * RescoreKillAndResumeTest}'s {@code kill -9} and {@code --resume}.
 */
class RescoreLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRescoreOfTheSameLakeIsRefusedWhileTheFirstHoldsIt() throws Exception {
        List<String> posts = TestPosts.genericPosts("g", 400, 7, Instant.parse("2026-11-20T00:00:00Z"), Duration.ofHours(24), false);
        new LocalRunner(TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl"), posts)).build(), null).run();
        Path lake = dir.resolve("lake");
        Path model = RescoreModels.flipped(dir.resolve("flipped-model"));
        long rowsBefore = rows(lake, "SELECT count(*) FROM posts_all");
        String[] rescore = {"rescore", "--lake", lake.toString(), "--model", model.toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString()};

        try (RescoreLock held = RescoreLock.acquire(RescoreJob.lakeUri(lake.toString()))) {
            // This JVM holds it: a second taker here is refused too, and its try must not drop the lock
            // (closing any channel of the file would: POSIX record locks), which the process below checks.
            assertThatThrownBy(() -> RescoreLock.acquire(RescoreJob.lakeUri(lake.toString())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another rescore of");
            LauncherProcess.Result refused = tidings("refused", rescore);
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("another rescore of " + RescoreJob.lakeUri(lake.toString()) + " is running")
                    .contains("process " + ProcessHandle.current().pid()).doesNotContain("tidings: rescoring");
            assertThat(rows(lake, "SELECT count(*) FROM posts_all")).as("nothing written").isEqualTo(rowsBefore);
        }

        LauncherProcess.Result ran = tidings("ran", rescore);
        assertThat(ran.exitCode()).as(ran.output()).isZero();
        assertThat(ran.output()).contains("tidings: rescoring");
        assertThat(rows(lake, "SELECT count(*) FROM posts_all")).isGreaterThan(rowsBefore);
        // The lock file stays in the lake, a dot file the views never read.
        assertThat(lake.resolve(".rescore.lock")).exists();
        assertThat(rows(lake, "SELECT count(*) FROM posts")).isEqualTo(rows(lake, "SELECT count(DISTINCT post_id) FROM posts_all"));
    }

    private LauncherProcess.Result tidings(String name, String... args) throws Exception {
        return LauncherProcess.run(dir.resolve(name + ".log"), args);
    }

    private static long rows(Path lake, String sql) throws Exception {
        try (LocalLake db = LocalLake.open(lake)) {
            return ((Number) db.query(sql, 1).rows().get(0).get(0)).longValue();
        }
    }
}
