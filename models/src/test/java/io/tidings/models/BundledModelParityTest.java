package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled model, loaded from the classpath as the job loads it, reproduces its exporter's
 * {@code parity.json} through {@link ParityCheck}: same token ids, ONNX outputs within {@code
 * onnx_tolerance}, and the labels PyTorch chose. Skipped until {@code models/bundled/tweet-multitask/} is built.
 */
class BundledModelParityTest {

    private static TweetModel model;
    private static JsonNode parity;

    @BeforeAll
    static void load() throws IOException {
        assumeTrue(FixtureModels.bundledModelPresent(), "bundled model not built yet");
        assumeTrue(Files.isRegularFile(FixtureModels.bundledModel().resolve("parity.json")), "no parity.json");
        model = TweetModel.load(FixtureModels.bundledLocation(), 2, TweetModel.DEFAULT_BATCH_SIZE);
        parity = new ObjectMapper().readTree(FixtureModels.bundledModel().resolve("parity.json").toFile());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void configMatchesTheContract() {
        assertThat(model.config().name()).isEqualTo("tweet-multitask");
        assertThat(model.config().maxLength()).isEqualTo(128);
        assertThat(model.config().sentiment().labels()).containsExactly("negative", "neutral", "positive");
        assertThat(model.config().entities().labels())
                .containsExactly("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");
        assertThat(parity.path("cases").size()).isPositive();
    }

    @Test
    void reproducesTheExportersOutputs() {
        ParityCheck.Result result = ParityCheck.check(model);
        assertThat(result.problems()).as(result.report()).isEmpty();
        assertThat(result.cases()).isEqualTo(parity.path("cases").size());
        assertThat(result.logitsCompared()).isGreaterThan(result.cases() * 3);
    }

    @Test
    void reportsALogitThatDriftedBeyondTheTolerance(@TempDir Path dir) throws IOException {
        ObjectNode tampered = parity.deepCopy();
        ArrayNode logits = (ArrayNode) tampered.path("cases").get(0).path("onnx").path("sentiment_logits");
        logits.set(1, logits.get(1).asDouble() + 1.0);
        Path file = dir.resolve("parity.json");
        new ObjectMapper().writeValue(file.toFile(), tampered);

        ParityCheck.Result result = ParityCheck.check(model, file);
        assertThat(result.passed()).isFalse();
        assertThat(result.problems()).singleElement().asString().startsWith("sentiment_logits[1] of ");
    }
}
