package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the launcher mid-run, then {@code import --resume}: the lake must end with
 * every input post exactly once. Both runs are real {@code bin/tidings}-style JVMs. One of the two
 * input files is deleted before the resume: the resume still finishes the other, says in a dead
 * letter how far the deleted one had been read, and leaves no in-progress part file behind.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedImportResumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        List<String> posts = TestPosts.genericPosts("k", 12_000, 5);
        Path input = TestPosts.write(dir.resolve("posts.jsonl.gz"), posts);
        List<String> extraPosts = TestPosts.genericPosts("gone", 6_000, 6);
        Path extra = TestPosts.write(dir.resolve("extra.jsonl.gz"), extraPosts);
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");

        Process first = launch("import", "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval", "1", input.toString(), extra.toString());
        // Wait until a checkpoint has committed some posts, then kill the JVM without warning.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!(hasCheckpoint(checkpoints) && hasParquet(lake)) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(first.isAlive()).as("the first run must still be running when killed (input too small?)").isTrue();
        first.destroyForcibly().waitFor();
        int committedBefore = LakeContents.postIds(lake).size();
        assertThat(committedBefore).isBetween(1, posts.size() + extraPosts.size() - 1);
        Files.delete(extra);

        Process resumed = launch("import", "--resume", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", input.toString(), extra.toString());
        assertThat(resumed.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("launcher.log"));
        assertThat(resumed.exitValue()).as(log).isZero();
        assertThat(log).contains("resuming from checkpoint");

        List<String> ids = LakeContents.postIds(lake);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids.stream().filter(id -> id.startsWith("generic:k")).count()).isEqualTo(posts.size());
        long extraLanded = ids.stream().filter(id -> id.startsWith("generic:gone")).count();
        assertThat(extraLanded).isLessThan(extraPosts.size());
        assertThat(TidingsJobTest.deadLetters(lake)).singleElement().satisfies(letter -> {
            assertThat(letter.path("source").asText()).endsWith("extra.jsonl.gz");
            assertThat(letter.path("reason").asText()).contains("could not be read again on restore").contains("does not exist");
        });
        try (Stream<Path> files = Files.walk(lake)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".inprogress"))).isEmpty();
        }
    }

    private Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.tidings.job.cli.TidingsCli"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("launcher.log").toFile()))
                .directory(new File(System.getProperty("user.dir")))
                .start();
    }

    private static boolean hasCheckpoint(Path checkpoints) throws Exception {
        return !RetainedCheckpoints.newestFirst(checkpoints).isEmpty();
    }

    private static boolean hasParquet(Path lake) throws Exception {
        if (!Files.isDirectory(lake.resolve("posts"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(lake.resolve("posts"))) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith("."));
        }
    }
}
