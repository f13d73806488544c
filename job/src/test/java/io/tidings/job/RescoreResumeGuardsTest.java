package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.job.rescore.RescoreRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rescore --resume} goes on with the model and days its run was started with (red-team
 * findings: a resume with another {@code --model} finished with that model and left the lake on two;
 * a resume's header claimed the {@code --from}/{@code --to} it was given while the checkpoint's days
 * were read): options that differ from the run's record are refused with exit code 2 before anything
 * runs, options left out take the record's, the header says the run's days and model, and a run
 * without a record is not resumed.
 */
class RescoreResumeGuardsTest {
    private static final String OLD = RescoreModels.BUNDLED;
    private static final String NEW = RescoreModels.FLIPPED;

    @TempDir
    Path dir;

    @Test
    void aResumeGoesOnWithItsRunsModelAndDaysAndRefusesOthers() throws Exception {
        // 3,000 posts over three days (2026-11-20 to 22); the run rescores the last two.
        List<String> posts = TestPosts.genericPosts("g", 3_000, 31, Instant.parse("2026-11-20T00:00:00Z"), Duration.ofHours(72), false);
        new LocalRunner(TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl"), posts)).build(), null).run();
        Path lake = dir.resolve("lake");
        long day1 = rows(lake, "SELECT count(*) FROM posts WHERE dt = DATE '2026-11-20'");
        assertThat(day1).isBetween(200L, 2_800L);
        Path model = RescoreModels.flipped(dir.resolve("flipped-model"));
        Path checkpoints = dir.resolve("rescore-checkpoints");

        // Killed (kill -9) once its first checkpoint is retained, before any row is written. (Not a
        // SIGTERM: a stop this early now and then fails after its savepoint, "failed during stopping",
        // exit 4, which is not what this test is about.)
        Path firstLog = dir.resolve("first.log");
        Process first = LauncherProcess.start(firstLog, "rescore", "--lake", lake.toString(), "--model", model.toString(),
                "--from", "2026-11-21", "--to", "2026-11-22", "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "1");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (RetainedCheckpoints.newestFirst(checkpoints).isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor();
        String firstOutput = Files.readString(firstLog);
        assertThat(firstOutput).contains("tidings: rescoring 2 days of " + lake + " from 2026-11-21 to 2026-11-22 with " + NEW);
        Path record = onlyRecord(checkpoints);
        assertThat(RetainedCheckpoints.forResume(checkpoints)).as(firstOutput).isPresent();
        long rowsBefore = rows(lake, "SELECT count(*) FROM posts_all");

        // Another model: refused, naming both, before anything runs.
        LauncherProcess.Result otherModel = tidings("other-model", "rescore", "--resume", "--lake", lake.toString(), "--model",
                "classpath:tweet-multitask", "--checkpoint-dir", checkpoints.toString());
        assertThat(otherModel.exitCode()).as(otherModel.output()).isEqualTo(2);
        assertThat(otherModel.output()).contains("--model classpath:tweet-multitask is " + OLD)
                .contains("rescores with " + NEW + " (" + model.toAbsolutePath().normalize() + ")")
                .doesNotContain("tidings: rescoring");
        // Other days: refused, naming both.
        LauncherProcess.Result otherDays = tidings("other-days", "rescore", "--resume", "--lake", lake.toString(), "--from", "2026-11-20",
                "--checkpoint-dir", checkpoints.toString());
        assertThat(otherDays.exitCode()).as(otherDays.output()).isEqualTo(2);
        assertThat(otherDays.output()).contains("--from 2026-11-20, but the run started from 2026-11-21");
        // Another lake: its rows would go where the run's files are not.
        LauncherProcess.Result otherLake = tidings("other-lake", "rescore", "--resume", "--lake", dir.resolve("elsewhere").toString(),
                "--checkpoint-dir", checkpoints.toString());
        assertThat(otherLake.exitCode()).as(otherLake.output()).isEqualTo(2);
        assertThat(otherLake.output()).contains("but the run rescores " + lake.toUri().toString().replaceAll("/$", ""));
        // No record (a run of an older tidings, or an import's checkpoints): refused.
        Path aside = dir.resolve("record-aside.json");
        Files.move(record, aside);
        LauncherProcess.Result noRecord = tidings("no-record", "rescore", "--resume", "--lake", lake.toString(), "--model", model.toString(),
                "--checkpoint-dir", checkpoints.toString());
        assertThat(noRecord.exitCode()).as(noRecord.output()).isEqualTo(2);
        assertThat(noRecord.output()).contains("has no record of the model and days it rescores");
        Files.move(aside, record);
        assertThat(rows(lake, "SELECT count(*) FROM posts_all")).as("nothing refused wrote anything").isEqualTo(rowsBefore);
        // And without --model the plain rescore still wants one.
        LauncherProcess.Result noModel = tidings("no-model", "rescore", "--lake", lake.toString(), "--checkpoint-dir", dir.resolve("cp2").toString());
        assertThat(noModel.exitCode()).as(noModel.output()).isEqualTo(2);
        assertThat(noModel.output()).contains("--model is required");

        // The model and --from left out, --to as the run's: it goes on with the run's, and says so.
        LauncherProcess.Result resumed = tidings("resumed", "rescore", "--resume", "--lake", lake.toString(), "--to", "2026-11-22",
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "1");
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("tidings: rescoring 2 days of " + lake + " from 2026-11-21 to 2026-11-22 with " + NEW
                + " (parallelism 2, resuming from checkpoint ").contains(" of run " + record.getParent().getFileName());
        assertThat(rows(lake, "SELECT count(*) FROM posts WHERE model_version = '" + OLD + "' AND dt > DATE '2026-11-20'"))
                .as("every scored post of the run's days is on the run's model").isZero();
        assertThat(rows(lake, "SELECT count(*) FROM posts WHERE model_version = '" + NEW + "'")).isPositive();
        assertThat(rows(lake, "SELECT count(*) FROM posts WHERE dt = DATE '2026-11-20' AND scored_at IS NOT NULL"))
                .as("the day before the run's is not rescored").isZero();
    }

    /** The one run record under the checkpoint folder (the stopped run's). */
    private static Path onlyRecord(Path checkpoints) throws Exception {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            List<Path> records = files.filter(p -> p.getFileName().toString().equals(RescoreRun.FILE)).toList();
            assertThat(records).hasSize(1);
            return records.get(0);
        }
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
