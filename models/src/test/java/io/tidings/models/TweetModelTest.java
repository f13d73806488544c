package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidings.records.EntityMention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TweetModel} on the lookup fixture: real ONNX Runtime, real tokenizer, known answers. */
class TweetModelTest {

    private static TweetModel model;

    @BeforeAll
    static void load() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent(), "no tokenizer.json to build fixtures with");
        model = TweetModel.load(ModelLocation.of(FixtureModels.multitask()), 2, 4);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void readsConfigAndFeedsOnlyDeclaredInputs() {
        assertThat(model.config().nameAndVersion()).isEqualTo("fixture-lookup@test");
        assertThat(model.config().sentiment().output()).isEqualTo("sentiment_logits");
        assertThat(model.config().entities().labels()).containsExactlyElementsOf(FixtureModels.ENTITY_LABELS);
        // the graph declares no token_type_ids although the config lists it: prediction still works
        assertThat(model.predict("I love it").sentiment()).isEqualTo("positive");
    }

    @Test
    void findsEntitiesWithCharOffsetsIntoTheOriginalText() {
        String text = "😀😀 Barack Obama 🇺🇸 flew to New York with 👩‍👩‍👧 Apple";
        ModelPrediction prediction = model.predict(text);
        assertThat(prediction.entities()).extracting(e -> e.text + "/" + e.type)
                .containsExactly("Barack Obama/PER", "New York/LOC", "Apple/ORG");
        for (EntityMention e : prediction.entities()) {
            assertThat(text.substring(e.start, e.end)).isEqualTo(e.text);
            assertThat(e.score).isBetween(0.0, 1.0);
        }
    }

    @Test
    void strayInsideTagStartsAnEntityAndPunctuationOnlySpansAreDropped() {
        String text = "@ london # paris @obama";
        List<EntityMention> entities = model.predict(text).entities();
        // "@" alone and "#" alone are B- tags over punctuation only: dropped.
        assertThat(entities).extracting(e -> e.text + "/" + e.type)
                .containsExactly("london/LOC", "paris/LOC", "@obama/PER");
        assertThat(entities.get(2).start).isEqualTo(text.indexOf("@obama"));
    }

    @Test
    void scoresSentimentWithProbabilitiesThatSumToOne() {
        ModelPrediction positive = model.predict("I love this, great");
        assertThat(positive.sentiment()).isEqualTo("positive");
        assertThat(positive.pNegative() + positive.pNeutral() + positive.pPositive()).isCloseTo(1.0, within(1e-9));
        assertThat(positive.sentimentScore()).isEqualTo(positive.pPositive());
        assertThat(model.predict("I hate mondays").sentiment()).isEqualTo("negative");
        assertThat(model.predict("the bus is late").sentiment()).isEqualTo("neutral");
    }

    @Test
    void neverFailsOnHostileText() {
        StringBuilder longText = new StringBuilder();
        while (longText.length() < 10_000) {
            longText.append("Paris is lovely 😀 ");
        }
        List<String> texts = new ArrayList<>(List.of("", " ", "😀😀😀", "\uD83D", "a\uDE00b Paris", "nul\u0000 Paris\u0000",
                "\uDE00\uD83D", longText.toString(), "\u200B\u200D\uFEFF", "Ｐａｒｉｓ", "x".repeat(5000)));
        texts.add(null);
        List<ModelPrediction> predictions = model.predict(texts);
        assertThat(predictions).hasSize(texts.size()).doesNotContainNull();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i) == null ? "" : texts.get(i);
            assertThat(predictions.get(i).sentiment()).isNotNull();
            for (EntityMention e : predictions.get(i).entities()) {
                assertThat(text.substring(e.start, e.end)).isEqualTo(e.text);
            }
        }
        assertThat(predictions.get(4).entities()).extracting(e -> e.text).containsExactly("Paris");
        assertThat(predictions.get(5).entities()).extracting(e -> e.text).containsExactly("Paris");
        // truncated to max_length: entities only from the first 128 tokens
        assertThat(model.tokenCount(longText.toString())).isEqualTo(128);
        assertThat(predictions.get(7).entities()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.end).isLessThan(1_000));
    }

    @Test
    void bucketedBatchesKeepInputOrderAndEqualSingleTextResults() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String filler = "word ".repeat((i * 7) % 40);
            texts.add(i % 3 == 0 ? filler + "I love Paris " + i : i % 3 == 1 ? "hate " + i : filler + "Barack Obama " + i);
        }
        List<ModelPrediction> batched = model.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
            ModelPrediction single = model.predict(texts.get(i));
            assertThat(batched.get(i).sentiment()).isEqualTo(single.sentiment());
            double[] expected = single.sentimentProbabilities();
            double[] actual = batched.get(i).sentimentProbabilities();
            for (int k = 0; k < 3; k++) {
                assertThat(actual[k]).isCloseTo(expected[k], within(1e-4));
            }
            assertThat(batched.get(i).entities()).hasSameSizeAs(single.entities());
            for (int e = 0; e < single.entities().size(); e++) {
                EntityMention a = batched.get(i).entities().get(e);
                EntityMention b = single.entities().get(e);
                assertThat(a.text).isEqualTo(b.text);
                assertThat(a.start).isEqualTo(b.start);
                assertThat(a.score).isCloseTo(b.score, within(1e-4));
            }
            assertThat(texts.get(i)).endsWith(" " + i); // order: entity text comes from this very input
            if (i % 3 == 2) {
                assertThat(batched.get(i).entities()).extracting(e -> e.text).containsExactly("Barack Obama");
            }
        }
    }

    @Test
    void servesConcurrentCallers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ModelPrediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> model.predict(List.of("I love New York", "I hate Apple", "meh"))));
            }
            for (Future<List<ModelPrediction>> future : futures) {
                assertThat(future.get()).extracting(ModelPrediction::sentiment)
                        .containsExactly("positive", "negative", "neutral");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void derivesTheHeadOfAnExportedSequenceClassifier() {
        try (TweetModel sequence = TweetModel.load(ModelLocation.of(FixtureModels.sequenceClassifier()), 1, 8)) {
            assertThat(sequence.config().sentiment().output()).isEqualTo("logits");
            assertThat(sequence.config().entities()).isNull();
            ModelPrediction prediction = sequence.predict("I love it");
            assertThat(prediction.sentiment()).isEqualTo("positive");
            assertThat(prediction.entities()).isEmpty();
            assertThat(sequence.config().nameAndVersion()).isEqualTo("user/sentiment-export@unversioned");
        }
    }

    @Test
    void derivesTheHeadOfAnExportedTokenClassifier() {
        try (TweetModel token = TweetModel.load(ModelLocation.of(FixtureModels.tokenClassifier()), 1, 8)) {
            assertThat(token.config().sentiment()).isNull();
            assertThat(token.config().entities().labels()).containsExactlyElementsOf(FixtureModels.ENTITY_LABELS);
            ModelPrediction prediction = token.predict("Barack Obama in Paris");
            assertThat(prediction.sentiment()).isNull();
            assertThat(prediction.sentimentScore()).isNull();
            assertThat(prediction.entities()).extracting(e -> e.text).containsExactly("Barack Obama", "Paris");
        }
    }

    @Test
    void rejectsAnEncoderWithoutHeadsWithAClearMessage() {
        assertThatThrownBy(() -> TweetModel.load(ModelLocation.of(FixtureModels.encoderWithoutHeads()), 1, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no \"tidings\" block")
                .hasMessageContaining("last_hidden_state")
                .hasMessageContaining("not a tidings model");
    }

    @Test
    void rejectsUnknownTokenTypesWithAClearMessage() throws Exception {
        assertRefused("\"token_types\": \"shouting\"", "\"casing\"");
        assertThat(model.config().tokenTypes()).isEqualTo(ModelConfig.TokenTypes.TOKENIZER);
        assertThat(model.tokenTypeIds("Apple and NASA")).containsOnly(0L);
    }

    @Test
    void rejectsUnknownUrlHandlingWithAClearMessage() throws Exception {
        assertRefused("\"urls\": \"drop\"", "\"shorten\"");
    }

    /** A sentiment model's config with {@code option} in its tidings block is refused, naming it and {@code known}. */
    private static void assertRefused(String option, String known) throws Exception {
        var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"tidings\": {\"name\": \"m\", " + option + ", \"heads\": {\"sentiment\": "
                        + "{\"output\": \"sentiment_logits\", \"labels\": [\"negative\", \"neutral\", \"positive\"]}}}}");
        assertThatThrownBy(() -> ModelConfig.fromJson(config, java.util.Map.of("sentiment_logits", 2), "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option)
                .hasMessageContaining(known);
    }

    @Test
    void aModelThatShortensUrlsReadsEachAsItsFirstFourCharsAndKeepsOffsets(@TempDir Path dir) throws Exception {
        for (String file : List.of("model.onnx", "tokenizer.json", "config.json")) {
            Files.copy(FixtureModels.multitask().resolve(file), dir.resolve(file));
        }
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"),
                config.replace("\"max_length\": 128,", "\"max_length\": 128, \"urls\": \"shorten\","));
        String text = "😀 see https://t.co/London?x=1, then Paris";
        try (TweetModel shortening = TweetModel.load(ModelLocation.of(dir), 1, 4)) {
            assertThat(shortening.config().urls()).isEqualTo(ModelConfig.Urls.SHORTEN);
            assertThat(model.config().urls()).isEqualTo(ModelConfig.Urls.KEEP);
            assertThat(model.predict(text).entities()).extracting(e -> e.text).containsExactly("London", "Paris");
            List<EntityMention> entities = shortening.predict(text).entities();
            assertThat(entities).extracting(e -> e.text).containsExactly("Paris");
            assertThat(entities.get(0).start).isEqualTo(text.indexOf("Paris"));
            assertThat(shortening.tokenIds(text)).isEqualTo(shortening.tokenIds("😀 see http then Paris"));
        }
    }

    @Test
    void shortensUrlsCharForChar() {
        String text = "a HTTPS://T.co/Ab😀 www.x.org/y?q=1&r=(2), b http:/no lhttp://x.y";
        String shortened = TokenizedText.shortenUrls(text);
        assertThat(shortened).hasSameSizeAs(text)
                .isEqualTo("a HTTP" + " ".repeat("S://T.co/Ab".length()) + "😀 www." + " ".repeat("x.org/y?q=1&r=(2),".length())
                        + " b http:/no lhttp://x.y");
        assertThat(TokenizedText.shortenUrls("no links")).isEqualTo("no links");
    }
}
