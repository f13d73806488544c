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
}
