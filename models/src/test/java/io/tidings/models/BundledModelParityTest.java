package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled model, loaded from the classpath as the job loads it, reproduces its exporter's
 * {@code parity.json}: same token ids, ONNX outputs within {@code onnx_tolerance}, and the labels
 * PyTorch chose. Skipped until {@code models/bundled/tweet-multitask/} is built.
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
        double onnxTolerance = parity.path("onnx_tolerance").asDouble(1e-3);
        double pytorchTolerance = parity.path("pytorch_tolerance").asDouble(0);
        for (JsonNode c : parity.path("cases")) {
            String text = c.path("text").asText();
            long[] expectedIds = new long[c.path("input_ids").size()];
            for (int i = 0; i < expectedIds.length; i++) {
                expectedIds[i] = c.path("input_ids").get(i).asLong();
            }
            assertThat(model.tokenIds(text)).as("token ids of %s", text).containsExactly(expectedIds);

            Map<String, Object> logits = model.logits(text);
            float[] sentiment = (float[]) logits.get("sentiment_logits");
            float[][] entities = (float[][]) logits.get("entity_logits");
            JsonNode onnx = c.path("onnx");
            JsonNode pytorch = c.path("pytorch");
            for (int k = 0; k < 3; k++) {
                assertThat((double) sentiment[k]).as("sentiment logit %d of %s", k, text)
                        .isCloseTo(onnx.path("sentiment_logits").get(k).asDouble(),
                                org.assertj.core.api.Assertions.within(onnxTolerance));
            }
            assertThat(entities.length).isEqualTo(onnx.path("entity_logits").size());
            for (int t = 0; t < entities.length; t++) {
                for (int k = 0; k < entities[t].length; k++) {
                    assertThat((double) entities[t][k]).as("entity logit [%d][%d] of %s", t, k, text)
                            .isCloseTo(onnx.path("entity_logits").get(t).get(k).asDouble(),
                                    org.assertj.core.api.Assertions.within(onnxTolerance));
                }
            }
            // Labels: what PyTorch chose, except where PyTorch's own top-2 margin is inside the
            // documented int8-vs-fp32 difference (a quantized model may then legitimately flip).
            assertSameChoice(sentiment, pytorch.path("sentiment_logits"), pytorchTolerance, "sentiment of " + text);
            for (int t = 0; t < entities.length; t++) {
                assertSameChoice(entities[t], pytorch.path("entity_logits").get(t), pytorchTolerance,
                        "entity tag of token " + t + " of " + text);
            }
        }
    }

    private static void assertSameChoice(float[] ours, JsonNode reference, double tolerance, String what) {
        int best = 0;
        int second = -1;
        for (int k = 1; k < reference.size(); k++) {
            if (reference.get(k).asDouble() > reference.get(best).asDouble()) {
                second = best;
                best = k;
            } else if (second < 0 || reference.get(k).asDouble() > reference.get(second).asDouble()) {
                second = k;
            }
        }
        int ourBest = 0;
        for (int k = 1; k < ours.length; k++) {
            if (ours[k] > ours[ourBest]) {
                ourBest = k;
            }
        }
        double margin = reference.get(best).asDouble() - reference.get(second).asDouble();
        if (margin > 2 * tolerance) {
            assertThat(ourBest).as(what).isEqualTo(best);
        }
    }
}
