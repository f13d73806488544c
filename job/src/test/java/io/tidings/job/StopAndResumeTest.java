package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what {@code kill}, systemd and container runtimes send; Ctrl-C sends SIGINT, handled
 * alike) ends {@code bin/tidings run --watch} cleanly: the job stops at a savepoint, everything it
 * read is in the lake, the summary is printed and the exit code is 0. {@code --resume} continues
 * from that savepoint: a file added meanwhile is read, nothing is read twice.
 */
class StopAndResumeTest {
    private static final Pattern WRITTEN = Pattern.compile("stopped: ([\\d,]+) records → ([\\d,]+) posts written");

    @TempDir
    Path dir;

    @Test
    void sigtermStopsAtASavepointWithASummaryAndResumeContinuesFromIt() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        List<String> first = TestPosts.genericPosts("t", 6_000, 8);
        TestPosts.write(inbox.resolve("first.jsonl.gz"), first);
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");

        Process run = LauncherProcess.start(dir.resolve("first.log"), "run", "--watch", "1", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", inbox.toString());
        awaitPosts(run, lake, 1);
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the run ends after SIGTERM").isTrue();
        String log = Files.readString(dir.resolve("first.log"));
        assertThat(run.exitValue()).as(log).isZero();
        Matcher summary = WRITTEN.matcher(log);
        assertThat(summary.find()).as("a summary after the stop: " + log).isTrue();
        long written = Long.parseLong(summary.group(2).replace(",", ""));
        // The savepoint committed what had reached the sink; posts still in the enrichment operator at the stop
        // are in the savepoint (the summary counts them as handed to the sink once they were).
        List<String> afterStop = LakeContents.postIds(lake);
        assertThat(afterStop).hasSizeBetween(1, (int) written);
        assertThat(new HashSet<>(afterStop)).hasSameSizeAs(afterStop);
        try (Stream<Path> files = Files.walk(checkpoints)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("savepoint-"));
        }

        List<String> second = TestPosts.genericPosts("u", 500, 9);
        TestPosts.write(inbox.resolve("second.jsonl.gz"), second);
        Process resumed = LauncherProcess.start(dir.resolve("second.log"), "run", "--watch", "1", "--resume", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", inbox.toString());
        awaitPosts(resumed, lake, first.size() + second.size());
        resumed.destroy();
        assertThat(resumed.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String resumedLog = Files.readString(dir.resolve("second.log"));
        assertThat(resumed.exitValue()).as(resumedLog).isZero();
        assertThat(resumedLog).contains("resuming from the savepoint of run");

        List<String> ids = LakeContents.postIds(lake);
        assertThat(new HashSet<>(ids)).as("no post twice").hasSameSizeAs(ids);
        assertThat(ids).hasSize(first.size() + second.size());
    }

    @Test
    void aStopAskedForWhileTheJobStartsWaitsForItAndStillEndsAtASavepoint() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        List<String> posts = TestPosts.genericPosts("e", 3_000, 10);
        TestPosts.write(inbox.resolve("posts.jsonl.gz"), posts);
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");

        Process run = LauncherProcess.start(dir.resolve("early.log"), "import", "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval", "1", inbox.toString());
        // The launcher says what it reads just before it starts the local cluster: the job is not running yet.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.readString(dir.resolve("early.log")).contains("tidings: reading") && run.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("early.log"));
        assertThat(run.exitValue()).as(log).isZero();
        assertThat(log).contains("stopped: ");
        try (Stream<Path> files = Files.walk(checkpoints)) {
            assertThat(files.map(p -> p.getFileName().toString())).as(log).anyMatch(n -> n.startsWith("savepoint-"));
        }

        Process resumed = LauncherProcess.start(dir.resolve("early-resumed.log"), "import", "--resume", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", inbox.toString());
        assertThat(resumed.waitFor(4, TimeUnit.MINUTES)).isTrue();
        String resumedLog = Files.readString(dir.resolve("early-resumed.log"));
        assertThat(resumed.exitValue()).as(resumedLog).isZero();
        List<String> ids = LakeContents.postIds(lake);
        assertThat(new HashSet<>(ids)).as("no post twice").hasSameSizeAs(ids);
        assertThat(ids).hasSize(posts.size());
    }

    /** Waits until the lake's committed posts reach {@code count}. */
    private static void awaitPosts(Process run, Path lake, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (run.isAlive() && System.nanoTime() < deadline) {
            if (LakeContents.committedPostCount(lake) >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the lake did not reach " + count + " posts (run alive: " + run.isAlive() + ")");
    }


}
