package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocationTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheThreeForms() {
        assertThat(ModelLocation.parse("classpath:tweet-multitask").scheme()).isEqualTo(ModelLocation.Scheme.CLASSPATH);
        assertThat(ModelLocation.parse("classpath:tweet-multitask")).isEqualTo(ModelLocation.BUNDLED_DEFAULT);
        assertThat(ModelLocation.parse("/mnt/efs/models/tweet-multitask").scheme()).isEqualTo(ModelLocation.Scheme.PATH);
        assertThat(ModelLocation.parse("file:/mnt/efs/models/x").toString()).isEqualTo("/mnt/efs/models/x");
        assertThat(ModelLocation.parse("s3://bucket/models/tweet-multitask/").toString())
                .isEqualTo("s3://bucket/models/tweet-multitask");
        assertThatThrownBy(() -> ModelLocation.parse(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelLocation.parse("s3://")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysWhatIsMissing() throws IOException {
        assertThatThrownBy(() -> ModelLocation.of(dir.resolve("nope")).resolve()).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> ModelLocation.of(dir).resolve()).hasMessageContaining("has no tokenizer.json");
        assertThatThrownBy(() -> ModelLocation.parse("classpath:no-such-model").resolve())
                .hasMessageContaining("No model 'no-such-model' on the classpath");
    }

    @Test
    void copiesAClasspathModelOncePerJvm() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FixtureModels.bundledModelPresent(), "bundled model not built yet");
        Path first = ModelLocation.BUNDLED_DEFAULT.resolve();
        assertThat(first.resolve("model.onnx")).isRegularFile();
        assertThat(ModelLocation.parse("classpath:tweet-multitask").resolve()).isEqualTo(first);
    }

    @Test
    void everyJvmSharesOneCopyPerModelVersionAndKilledOnesLeaveNothingNew() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // What an earlier version left from killed JVMs, and a copy killed half way, both hours old.
        Path legacy = Files.createDirectories(tmp.resolve("tidings-model-tweet-multitask-4711"));
        Path staging = Files.createDirectories(tmp.resolve("tidings-models").resolve(".staging-tweet-multitask-42"));
        Path s3Download = Files.createDirectories(tmp.resolve("tidings-model-s3-99"));
        for (Path old : java.util.List.of(legacy, staging, s3Download)) {
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
        }

        String first = resolveInAJvmThenKillIt(tmp);
        String second = resolveInAJvmThenKillIt(tmp);
        assertThat(second).isEqualTo(first);
        assertThat(Path.of(first)).startsWith(tmp.resolve("tidings-models")).isDirectory();
        assertThat(Path.of(first).resolve("model.onnx")).isRegularFile();
        try (var copies = Files.list(tmp.resolve("tidings-models"))) {
            assertThat(copies).containsExactly(Path.of(first));
        }
        assertThat(legacy).doesNotExist();
        assertThat(staging).doesNotExist();
        assertThat(s3Download).as("an S3 download may be in use by a running job").exists();

        // A copy someone damaged (a file removed) is made whole again.
        Files.delete(Path.of(first).resolve("tokenizer.json"));
        assertThat(resolveInAJvmThenKillIt(tmp)).isEqualTo(first);
        assertThat(Path.of(first).resolve("tokenizer.json")).isRegularFile();
    }

    /** Resolves the bundled model in a JVM of its own, reads the folder it printed, then kill -9. */
    private String resolveInAJvmThenKillIt(Path tmp) throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), ResolveAndWait.class.getName())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()))) {
            String line = out.readLine();
            assertThat(line).startsWith("model at ");
            return line.substring("model at ".length());
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    /** Prints where the bundled model was copied, then waits to be killed. */
    public static final class ResolveAndWait {
        public static void main(String[] args) throws Exception {
            System.out.println("model at " + ModelLocation.BUNDLED_DEFAULT.resolve());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
