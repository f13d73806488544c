package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tidings rescore} as its own JVM: killed with {@code kill -9} mid-run, then {@code
 * rescore --resume}: the resumed run continues from the checkpoint (it reads fewer rows than the
 * lake holds) and the lake ends with exactly one new row per post the model scores, none lost, none
 * doubled, the old rows all still there. Also the command line's answers to a bad day and to a lake
 * with no posts.
 */
class RescoreKillAndResumeTest {
    private static final String NEW = "tweet-multitask@" + RescoreModels.VERSION;

    @TempDir
    Path dir;

    @Test
    void aKilledRescoreResumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        // Enough posts that reading them outlasts the progress line's 10 s interval in a log on a
        // quiet machine: 8,000 were all read in 9 s there, before the line ever said rows were read.
        int n = 24_000;
        List<String> posts = TestPosts.genericPosts("kr", n, 17);
        // The posts the model scores (English): only those get a new row, the others' would say the same.
        long scorable = new LocalRunner(TestPosts.importSettings(dir, TestPosts.write(dir.resolve("posts.jsonl.gz"), posts)).build(),
                null).run().scored();
        assertThat(scorable).isBetween(n / 2L, (long) n);
        Path lake = dir.resolve("lake");
        Path model = RescoreModels.flipped(dir.resolve("flipped-model"));
        Path checkpoints = dir.resolve("rescore-checkpoints");
        Path log = dir.resolve("launcher.log");
        String[] rescore = {"rescore", "--lake", lake.toString(), "--model", model.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1"};

        Process first = LauncherProcess.start(log, rescore);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        // Two checkpoints after the progress line shows rows read: the first checkpoints come as the
        // tasks start, before anything is read, and under the model's back-pressure a barrier waits
        // behind the rows in flight, so these hold rows read and scored.
        while (!readSome(log) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long readingSince = newestCheckpoint(checkpoints);
        while (newestCheckpoint(checkpoints) < readingSince + 2 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(first.isAlive()).as("the first run must still be running when killed:\n" + Files.readString(log)).isTrue();
        first.destroyForcibly().waitFor();
        assertThat(rows(lake, "SELECT count(*) FROM posts_all")).as("killed before its last commit").isLessThan(n + scorable);

        Process resumed = LauncherProcess.start(log, withResume(rescore));
        assertThat(resumed.waitFor(15, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log);
        assertThat(resumed.exitValue()).as(output).isZero();
        assertThat(output).contains("resuming from checkpoint").contains("rescored ").contains(" of 1 days with model " + NEW);
        Matcher read = Pattern.compile("([\\d,]+) rows read").matcher(output);
        assertThat(read.find()).as(output).isTrue();
        assertThat(Long.parseLong(read.group(1).replace(",", ""))).as("the resumed run went on from its checkpoint:\n" + output)
                .isLessThan(n);

        assertThat(rows(lake, "SELECT count(*) FROM posts_all")).as("every scored post once more, the old rows kept")
                .isEqualTo(n + scorable);
        assertThat(rows(lake, "SELECT count(DISTINCT post_id) FROM posts_all WHERE scored_at IS NOT NULL")).isEqualTo(scorable);
        assertThat(rows(lake, "SELECT count(*) FROM posts WHERE scored_at IS NOT NULL")).isEqualTo(scorable);
        assertThat(rows(lake, "SELECT count(*) FROM posts")).isEqualTo(n);
        assertThat(rows(lake, "SELECT count(*) FROM posts WHERE sentiment IS NOT NULL AND model_version <> '" + NEW + "'")).isZero();
        try (var files = Files.walk(lake)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.contains(".inprogress"))).isEmpty();
        }
    }

    @Test
    void badDaysAndEmptyLakesAreToldWithTheImportsExitCodes() throws Exception {
        Path log = dir.resolve("launcher.log");
        Process badDay = LauncherProcess.start(log, "rescore", "--lake", dir.resolve("lake").toString(), "--model",
                "classpath:tweet-multitask", "--from", "21.11.2026");
        assertThat(badDay.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(badDay.exitValue()).as(Files.readString(log)).isEqualTo(2);
        assertThat(Files.readString(log)).contains("--from wants a day, YYYY-MM-DD; got 21.11.2026");

        Process noLake = LauncherProcess.start(log, "rescore", "--lake", dir.resolve("nothing-here").toString(), "--model",
                "classpath:tweet-multitask", "--checkpoint-dir", dir.resolve("cp").toString());
        assertThat(noLake.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(noLake.exitValue()).as(Files.readString(log)).isEqualTo(3);
        assertThat(Files.readString(log)).contains("nothing to rescore");

        Process help = LauncherProcess.start(log, "rescore", "--help");
        assertThat(help.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(Files.readString(log)).contains("--model=LOCATION").contains("--from=YYYY-MM-DD").contains("--resume");
    }

    /** Whether the launcher's progress line has shown rows read. */
    private static boolean readSome(Path log) throws java.io.IOException {
        return Pattern.compile("(?m)^\\s+[1-9][\\d,]* read").matcher(Files.readString(log)).find();
    }

    private static long newestCheckpoint(Path checkpoints) {
        return RetainedCheckpoints.newestFirst(checkpoints).stream().mapToLong(RetainedCheckpoints.Checkpoint::id)
                .filter(id -> id > 0).max().orElse(0);
    }

    private static String[] withResume(String[] args) {
        String[] resumed = java.util.Arrays.copyOf(args, args.length + 1);
        resumed[args.length] = "--resume";
        return resumed;
    }

    private static long rows(Path lake, String sql) throws Exception {
        try (LocalLake db = LocalLake.open(lake)) {
            return ((Number) db.query(sql, 1).rows().get(0).get(0)).longValue();
        }
    }
}
