package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script itself, {@code bin/tidings}, run on the packaged jar as a user runs it: its
 * class-data-sharing archive (the start-up cache) is written by the first job command, used by the
 * next, and never shows or matters otherwise: standard output holds only what the command prints,
 * and a damaged archive or {@code TIDINGS_CDS=off} only means a start without it.
 */
class LauncherStartUpIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "tidings").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theStartUpArchiveIsWrittenOnceUsedAfterAndHarmlessWhenDamaged() throws Exception {
        Path posts = TestPosts.write(dir.resolve("posts.jsonl"), TestPosts.genericPosts("cds", 50, 7));
        Path cds = dir.resolve("cache/tidings/cds");

        Run first = importInto("lake-1", posts, "on");
        assertThat(first.exit).as(first.stderr).isZero();
        assertThat(archives(cds, ".part")).as("the first job run writes its archive as it exits").hasSize(1);
        assertOnlyTheSummary(first);

        Run second = importInto("lake-2", posts, "on");
        assertThat(second.exit).as(second.stderr).isZero();
        List<Path> promoted = archives(cds, ".jsa");
        assertThat(promoted).as("the next launch promotes the finished archive").hasSize(1);
        assertThat(archives(cds, ".part")).isEmpty();
        assertOnlyTheSummary(second);

        try (RandomAccessFile cut = new RandomAccessFile(promoted.get(0).toFile(), "rw")) {
            cut.setLength(cut.length() / 3);
        }
        // A cut archive makes a JVM abort (exit 134) rather than start without it: the launcher drops it.
        Run damaged = importInto("lake-3", posts, "on");
        assertThat(damaged.exit).as(damaged.stderr).isZero();
        assertOnlyTheSummary(damaged);
        assertThat(archives(cds, ".jsa")).isEmpty();
        assertThat(archives(cds, ".part")).as("and the run writes a new one").hasSize(1);

        Run off = importInto("lake-4", posts, "off");
        assertThat(off.exit).as(off.stderr).isZero();
        assertOnlyTheSummary(off);
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run importInto(String lake, Path posts, String cds) throws IOException, InterruptedException {
        Path out = dir.resolve(lake + ".out");
        Path err = dir.resolve(lake + ".err");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "import", posts.toString(),
                "--lake", dir.resolve(lake).toString(), "--checkpoint-dir", dir.resolve(lake + "-checkpoints").toString())
                .directory(new File(System.getProperty("user.dir")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().put("TIDINGS_CDS", cds);
        builder.environment().remove("TIDINGS_LOG");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The import's standard output is its summary and nothing of the JVM's (no class-data-sharing warning). */
    private static void assertOnlyTheSummary(Run run) {
        assertThat(run.stdout).startsWith("tidings: 50 records → 50 posts written");
        assertThat(run.stdout + run.stderr).doesNotContainIgnoringCase("cds").doesNotContainIgnoringCase("shared archive");
    }

    private static List<Path> archives(Path cds, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
