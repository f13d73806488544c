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
 * every input post exactly once. Both runs are real {@code bin/tidings}-style JVMs.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedImportResumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        List<String> posts = TestPosts.genericPosts("k", 12_000, 5);
        Path input = TestPosts.write(dir.resolve("posts.jsonl.gz"), posts);
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");

        Process first = launch("import", "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval", "1", input.toString());
        // Wait until a checkpoint has committed some posts, then kill the JVM without warning.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!(hasCheckpoint(checkpoints) && hasParquet(lake)) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(first.isAlive()).as("the first run must still be running when killed (input too small?)").isTrue();
        first.destroyForcibly().waitFor();
        int committedBefore = LakeContents.postIds(lake).size();
        assertThat(committedBefore).isBetween(1, posts.size() - 1);

        Process resumed = launch("import", "--resume", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", input.toString());
        assertThat(resumed.waitFor(8, TimeUnit.MINUTES)).isTrue();
        assertThat(resumed.exitValue()).as(Files.readString(dir.resolve("launcher.log"))).isZero();

        List<String> ids = LakeContents.postIds(lake);
        assertThat(ids).hasSize(posts.size());
        assertThat(new HashSet<>(ids)).hasSize(posts.size());
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
        return LocalRunner.latestCheckpoint(checkpoints).isPresent();
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
