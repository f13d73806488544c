package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's optional heads (emotion, hate, irony, offensive) on the lookup fixture: read from the
 * config, fetched in the same call as sentiment and entities, decoded into the values the lake
 * gets; and a model without them answers nulls.
 */
class SignalHeadsTest {

    private static TweetModel signals;
    private static TweetModel plain;

    @BeforeAll
    static void load() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent(), "no tokenizer.json to build fixtures with");
        signals = TweetModel.load(ModelLocation.of(FixtureModels.withSignals()), 1, 4);
        plain = TweetModel.load(ModelLocation.of(FixtureModels.multitask()), 1, 4);
    }

    @AfterAll
    static void close() {
        if (signals != null) {
            signals.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    @Test
    void theConfigNamesTheFourHeadsInTheContractsOrder() {
        assertThat(signals.config().signals()).containsOnlyKeys("emotion", "hate", "irony", "offensive");
        assertThat(signals.config().signal("emotion").output()).isEqualTo("emotion_logits");
        assertThat(signals.config().signal("emotion").labels()).containsExactly("anger", "joy", "optimism", "sadness");
        assertThat(signals.config().signal("offensive").labels()).containsExactly("not-offensive", "offensive");
        assertThat(plain.config().signals()).isEmpty();
        assertThat(plain.config().signal("hate")).isNull();
        assertThatThrownBy(() -> plain.config().signal("sarcasm")).hasMessageContaining("no signal head sarcasm");
    }

    @Test
    void eachEmotionCueGetsItsEmotionWithProbabilitiesThatSumToOne() {
        Map<String, String> expected = Map.of("I am furious about this", "anger", "so delighted right now", "joy",
                "hopeful about tomorrow", "optimism", "feeling miserable today", "sadness");
        List<String> texts = new ArrayList<>(expected.keySet());
        List<ModelPrediction> predictions = signals.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
            ModelPrediction p = predictions.get(i);
            assertThat(p.emotion()).as(texts.get(i)).isEqualTo(expected.get(texts.get(i)));
            double[] probabilities = p.signalProbabilities("emotion");
            assertThat(probabilities).hasSize(4);
            assertThat(probabilities[0] + probabilities[1] + probabilities[2] + probabilities[3]).isCloseTo(1.0, within(1e-9));
            assertThat(p.emotionScore()).isEqualTo(probabilities[ModelConfig.EMOTION_LABELS.indexOf(p.emotion())])
                    .isGreaterThan(0.5);
        }
    }

    @Test
    void yesNoHeadsSayYesFromHalfTheProbabilityOn() {
        ModelPrediction offensive = signals.predict("you idiot");
        assertThat(offensive.offensive()).isTrue();
        assertThat(offensive.offensiveScore()).isGreaterThan(0.5).isEqualTo(offensive.signalProbabilities("offensive")[1]);
        assertThat(offensive.hate()).isFalse();
        assertThat(offensive.irony()).isFalse();
        assertThat(offensive.signalLabel("offensive")).isEqualTo("offensive");

        ModelPrediction hateful = signals.predict("those people are vermin");
        assertThat(hateful.hate()).isTrue();
        assertThat(hateful.hateScore()).isGreaterThan(0.5);
        assertThat(hateful.offensive()).isFalse();

        ModelPrediction ironic = signals.predict("ironically the bus was on time");
        assertThat(ironic.irony()).isTrue();
        assertThat(ironic.ironyScore()).isGreaterThan(0.5);
        assertThat(ironic.signalLabel("irony")).isEqualTo("irony");

        ModelPrediction calm = signals.predict("the meeting is at noon");
        assertThat(calm.offensive()).isFalse();
        assertThat(calm.offensiveScore()).isLessThan(0.5);
        assertThat(calm.hate()).isFalse();
        assertThat(calm.irony()).isFalse();
        assertThat(calm.signalLabel("hate")).isEqualTo("not-hate");
        double[] p = calm.signalProbabilities("irony");
        assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void sentimentAndEntitiesAreTheSameWithTheHeadsAsWithout() {
        List<String> texts = List.of("I love how Barack Obama talks about New York", "I hate mondays, you idiot",
                "hopeful about Apple in Paris", "the bus is late");
        List<ModelPrediction> with = signals.predict(texts);
        List<ModelPrediction> without = plain.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(with.get(i).sentimentProbabilities()).isEqualTo(without.get(i).sentimentProbabilities());
            assertThat(with.get(i).entities()).isEqualTo(without.get(i).entities());
            assertThat(with.get(i).emotion()).isNotNull();
        }
    }

    @Test
    void batchedSignalsEqualSingleTextSignals() {
        List<String> texts = List.of("you idiot", "so delighted right now with the whole long sentence after it",
                "ironically", "miserable", "the meeting is at noon and nothing else happens here at all");
        List<ModelPrediction> batched = signals.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
            ModelPrediction single = signals.predict(texts.get(i));
            for (String head : ModelConfig.SIGNAL_LABELS.keySet()) {
                assertThat(batched.get(i).signalProbabilities(head)).as(texts.get(i) + " " + head)
                        .containsExactly(single.signalProbabilities(head), within(1e-6));
            }
        }
    }

    @Test
    void aModelWithoutTheHeadsAnswersNulls() {
        ModelPrediction p = plain.predict("you idiot, I am furious");
        assertThat(p.sentiment()).isNotNull();
        assertThat(p.emotion()).isNull();
        assertThat(p.emotionScore()).isNull();
        assertThat(p.offensive()).isNull();
        assertThat(p.offensiveScore()).isNull();
        assertThat(p.hate()).isNull();
        assertThat(p.hateScore()).isNull();
        assertThat(p.irony()).isNull();
        assertThat(p.ironyScore()).isNull();
        assertThat(p.signalLabel("emotion")).isNull();
        assertThat(p.signalProbabilities("irony")).isNull();
    }

    @Test
    void theEnricherFillsThePostsSignalsAndClearsThemForAModelWithout() {
        Post angry = post("I am furious, you idiot. Those people are vermin, ironically.");
        Post calm = post("The meeting is at noon in the small room on the third floor today.");
        new PostEnricher(signals, LanguageIdentifier.shared()).enrich(new ArrayList<>(List.of(angry, calm)));
        assertThat(angry.emotion).isEqualTo("anger");
        assertThat(angry.emotionScore).isGreaterThan(0.5);
        assertThat(angry.offensive).isTrue();
        assertThat(angry.offensiveScore).isGreaterThan(0.5);
        assertThat(angry.hate).isTrue();
        assertThat(angry.irony).isTrue();
        assertThat(calm.offensive).isFalse();
        assertThat(calm.offensiveScore).isLessThan(0.5);
        assertThat(calm.hate).isFalse();
        assertThat(calm.irony).isFalse();
        assertThat(calm.emotion).isEqualTo("joy");

        // a post scored again by a model without the heads (a rescore with a user's model) keeps no old signal
        new PostEnricher(plain, LanguageIdentifier.shared()).enrich(new ArrayList<>(List.of(angry)));
        assertThat(angry.sentiment).isNotNull();
        assertThat(angry.emotion).isNull();
        assertThat(angry.emotionScore).isNull();
        assertThat(angry.offensive).isNull();
        assertThat(angry.offensiveScore).isNull();
        assertThat(angry.hate).isNull();
        assertThat(angry.hateScore).isNull();
        assertThat(angry.irony).isNull();
        assertThat(angry.ironyScore).isNull();
    }

    @Test
    void aPostNotScoredGetsNoSignals() {
        Post spanish = post("Me encanta cómo habla Barack Obama sobre Nueva York, de verdad, idiot");
        spanish.lang = "es";
        new PostEnricher(signals, LanguageIdentifier.shared()).enrich(new ArrayList<>(List.of(spanish)));
        assertThat(spanish.sentiment).isNull();
        assertThat(spanish.offensive).isNull();
        assertThat(spanish.emotion).isNull();
    }

    @Test
    void headsWithOtherLabelsOrOutputsAreRefusedWithTheReason() throws Exception {
        Map<String, Integer> ranks = Map.of("sentiment_logits", 2, "hate_logits", 2, "entity_logits", 3);
        // labels in another order would be read inverted: refused
        assertThatThrownBy(() -> ModelConfig.fromJson(config("\"hate\": {\"output\": \"hate_logits\", \"labels\": [\"hate\", \"not-hate\"]}"),
                ranks, "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hate head's labels are [hate, not-hate]").hasMessageContaining("[not-hate, hate]");
        assertThatThrownBy(() -> ModelConfig.fromJson(config("\"irony\": {\"output\": \"irony_logits\", \"labels\": [\"not-irony\", \"irony\"]}"),
                ranks, "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'irony_logits' but model.onnx has outputs");
        assertThatThrownBy(() -> ModelConfig.fromJson(config("\"hate\": {\"output\": \"entity_logits\", \"labels\": [\"not-hate\", \"hate\"]}"),
                ranks, "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has rank 3, expected 2");
        assertThatThrownBy(() -> ModelConfig.fromJson(config("\"hate\": {\"labels\": [\"not-hate\", \"hate\"]}"), ranks, "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the hate head of config.json names no \"output\"");
        // the contract's own form, capitals aside, is read
        ModelConfig ok = ModelConfig.fromJson(config("\"hate\": {\"output\": \"hate_logits\", \"labels\": [\"Not-Hate\", \"HATE\"], \"pooling\": \"mean\"}"),
                ranks, "m");
        assertThat(ok.signals()).containsOnlyKeys("hate");
        assertThat(ok.signal("hate").labels()).containsExactly("not-hate", "hate");
    }

    private static com.fasterxml.jackson.databind.JsonNode config(String signalHead) throws Exception {
        return new ObjectMapper().readTree("{\"tidings\": {\"name\": \"m\", \"heads\": {\"sentiment\": {\"output\": "
                + "\"sentiment_logits\", \"labels\": [\"negative\", \"neutral\", \"positive\"]}, " + signalHead + "}}}");
    }

    private static Post post(String text) {
        Post post = new Post();
        post.postId = "x:" + text.hashCode();
        post.text = text;
        post.lang = "en";
        return post;
    }
}
