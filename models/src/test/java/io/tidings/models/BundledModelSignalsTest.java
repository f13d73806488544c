package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled model's four signal heads (issue 21) through this runtime: they are there, clearly
 * angry, joyful, sad, offensive, ironic and hateful texts get the expected answer, probabilities are
 * probabilities, and the heads leave sentiment and entities as they are (the parity of those with
 * the exporter is {@link BundledModelParityTest}'s). Behaviour, not figures: the bundle is retrained.
 */
class BundledModelSignalsTest {

    private static SharedModels.Lease lease;
    private static TweetModel model;

    @BeforeAll
    static void load() {
        assumeTrue(FixtureModels.bundledModelPresent(), "bundled model not built yet");
        lease = SharedModels.acquire(FixtureModels.bundledLocation(), 2);
        model = lease.model();
    }

    @AfterAll
    static void release() {
        if (lease != null) {
            lease.close();
        }
    }

    @Test
    void theBundledModelHasTheFourHeads() {
        assertThat(model.config().signals()).containsOnlyKeys("emotion", "hate", "irony", "offensive");
        model.config().signals().forEach((key, head) -> assertThat(head.output()).isEqualTo(key + "_logits"));
    }

    @Test
    void clearlyEmotionalTextsGetTheirEmotion() {
        Map<String, String> texts = Map.of(
                "I am so angry right now!! They cancelled my flight AGAIN and nobody even answers the phone. Furious.", "anger",
                "Best day ever!! I just got engaged and I can't stop smiling 😍😍", "joy",
                "I miss my grandmother so much. The funeral was today and I can't stop crying 😢", "sadness");
        List<String> inOrder = List.copyOf(texts.keySet());
        List<ModelPrediction> predictions = model.predict(inOrder);
        for (int i = 0; i < inOrder.size(); i++) {
            ModelPrediction p = predictions.get(i);
            assertThat(p.emotion()).as(inOrder.get(i)).isEqualTo(texts.get(inOrder.get(i)));
            double[] probabilities = p.signalProbabilities("emotion");
            assertThat(probabilities[0] + probabilities[1] + probabilities[2] + probabilities[3]).isCloseTo(1.0, within(1e-9));
            assertThat(p.emotionScore()).isEqualTo(probabilities[ModelConfig.EMOTION_LABELS.indexOf(p.emotion())]);
        }
    }

    @Test
    void clearlyOffensiveIronicAndHatefulTextsSayYesAndPlainOnesNo() {
        ModelPrediction offensive = model.predict("Shut up you stupid f***ing idiot, nobody cares what you think");
        ModelPrediction ironic = model.predict("Oh great, my train is late again. I just LOVE spending my whole morning at the station #not");
        ModelPrediction hateful = model.predict("Send these illegal immigrants back where they came from, they are vermin #BuildTheWall");
        ModelPrediction plain = model.predict("The library opens at nine tomorrow morning.");
        assertThat(offensive.offensive()).as("offensive: %s", offensive.offensiveScore()).isTrue();
        assertThat(ironic.irony()).as("irony: %s", ironic.ironyScore()).isTrue();
        assertThat(hateful.hate()).as("hate: %s", hateful.hateScore()).isTrue();
        assertThat(plain.offensive()).as("offensive: %s", plain.offensiveScore()).isFalse();
        assertThat(plain.hate()).as("hate: %s", plain.hateScore()).isFalse();
        assertThat(offensive.offensiveScore()).isGreaterThan(plain.offensiveScore());
        assertThat(hateful.hateScore()).isGreaterThan(plain.hateScore());
        for (ModelPrediction p : List.of(offensive, ironic, hateful, plain)) {
            for (String head : List.of("hate", "irony", "offensive")) {
                double[] probabilities = p.signalProbabilities(head);
                assertThat(probabilities[0] + probabilities[1]).isCloseTo(1.0, within(1e-9));
            }
        }
    }

    /** The samples the eval commands are tested with: each written to be clear, so the heads get most right. */
    @Test
    void theHeadsGetMostOfTheClearSamplesRight() {
        for (String[] task : new String[][] {{"emotion", "emotion_sample_text.txt"}, {"hate", "hate.tsv"},
                {"irony", "irony.tsv"}, {"offensive", "offensive.tsv"}}) {
            SignalEvaluation.Result result = SignalEvaluation.evaluate(model, task[0], SignalEvaluationTest.sample(task[1]));
            long right = 0;
            long[][] confusion = result.confusion();
            for (int k = 0; k < confusion.length; k++) {
                right += confusion[k][k];
            }
            assertThat(right).as(result.report()).isGreaterThanOrEqualTo(result.total() - 1);
        }
    }

    /**
     * Sentiment and entities are the same whether the config names the signal heads or not: the
     * heads are more outputs of the same graph, fetched in the same call, and change nothing else.
     */
    @Test
    void theHeadsChangeNoSentimentOrEntity(@TempDir Path dir) throws Exception {
        Path bundled = FixtureModels.bundledModel();
        for (String file : new String[] {"model.onnx", "tokenizer.json", "config.json"}) {
            Files.copy(bundled.resolve(file), dir.resolve(file));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) config.path("tidings").path("heads")).retain("sentiment", "entities");
        json.writeValue(dir.resolve("config.json").toFile(), config);
        List<String> texts = FixtureModels.demoTweets().subList(0, 64);
        try (TweetModel without = TweetModel.load(ModelLocation.of(dir), 2, TweetModel.DEFAULT_BATCH_SIZE)) {
            assertThat(without.config().signals()).isEmpty();
            List<ModelPrediction> a = model.predict(texts);
            List<ModelPrediction> b = without.predict(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(b.get(i).emotion()).isNull();
                assertThat(b.get(i).offensiveScore()).isNull();
                assertThat(a.get(i).emotion()).isNotNull();
                assertThat(b.get(i).sentiment()).as(texts.get(i)).isEqualTo(a.get(i).sentiment());
                assertThat(b.get(i).sentimentProbabilities()).containsExactly(a.get(i).sentimentProbabilities(), within(1e-6));
                assertThat(b.get(i).entities()).extracting(e -> e.text + "/" + e.type + "/" + e.start)
                        .containsExactlyElementsOf(a.get(i).entities().stream().map(e -> e.text + "/" + e.type + "/" + e.start).toList());
            }
        }
    }
}
