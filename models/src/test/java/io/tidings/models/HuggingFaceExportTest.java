package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.EntityMention;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export path documented for users' own Hugging Face models: the test builds tiny BERT
 * classifiers with random weights exactly as {@code save_pretrained} writes them, exports each with
 * {@code models/training/export_hf.py}, and loads the result in the job's runtime: the contract
 * holds, {@link ParityCheck} reproduces the exporter's numbers, and predictions come out (entity
 * spans inside the text). Needs the training venv ({@link TrainingVenv}).
 */
class HuggingFaceExportTest {

    private static Path tokenizer;

    @BeforeAll
    static void findTools() {
        TrainingVenv.python(); // fails or skips the class before any export when the venv is missing
        tokenizer = FixtureModels.tokenizerJson().orElseThrow();
    }

    @Test
    void aSentimentClassifierWithLabelsInItsOwnOrderLoadsAndReproducesItsExport(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("tiny-sentiment");
        Path exported = dir.resolve("exported");
        TrainingVenv.run(List.of(TrainingVenv.script("src/test/python/make_tiny_hf_model.py"), source.toString(),
                "sentiment", tokenizer.toString(), "Positive,Negative,Neutral"));
        String log = TrainingVenv.run(List.of(TrainingVenv.script("training/export_hf.py"), source.toString(),
                exported.toString(), "--version", "test", "--urls", "shorten"));
        assertThat(log).contains("exported tiny-sentiment: sentiment, 3 labels");

        try (TweetModel model = TweetModel.load(ModelLocation.of(exported), 1, 8)) {
            assertThat(model.config().nameAndVersion()).isEqualTo("tiny-sentiment@test");
            assertThat(model.config().entities()).isNull();
            // id order of the source model, in our names: logit 0 is "positive"
            assertThat(model.config().sentiment().labels()).containsExactly("positive", "negative", "neutral");
            // links read as "http", as the cardiffnlp models were trained; the parity texts include links, so
            // the check below also says that Java and the exporter shorten them alike
            assertThat(model.config().urls()).isEqualTo(ModelConfig.Urls.SHORTEN);
            ParityCheck.Result parity = ParityCheck.check(model);
            assertThat(parity.problems()).as(parity.report()).isEmpty();
            assertThat(parity.cases()).isGreaterThanOrEqualTo(5);

            ModelPrediction prediction = model.predict("what a day \uD83D\uDE00 #mood");
            assertThat(prediction.sentiment()).isIn("negative", "neutral", "positive");
            assertThat(prediction.pNegative() + prediction.pNeutral() + prediction.pPositive()).isCloseTo(1.0,
                    org.assertj.core.api.Assertions.within(1e-4));
        }
        assertThat(Files.readString(exported.resolve("README.md"))).contains("Source: " + source);
    }

    @Test
    void anInt8TokenClassifierGivesEntitySpansInsideTheText(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("tiny-ner");
        Path exported = dir.resolve("exported");
        TrainingVenv.run(List.of(TrainingVenv.script("src/test/python/make_tiny_hf_model.py"), source.toString(),
                "entities", tokenizer.toString()));
        TrainingVenv.run(List.of(TrainingVenv.script("training/export_hf.py"), source.toString(), exported.toString(),
                "--int8", "--max-length", "64"));

        try (TweetModel model = TweetModel.load(ModelLocation.of(exported), 1, 8)) {
            assertThat(model.config().sentiment()).isNull();
            assertThat(model.config().maxLength()).isEqualTo(64);
            assertThat(model.config().entities().labels()).containsExactly("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
            assertThat(model.config().urls()).isEqualTo(ModelConfig.Urls.KEEP);
            ParityCheck.Result parity = ParityCheck.check(model);
            assertThat(parity.problems()).as(parity.report()).isEmpty();

            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                texts.add("Barack Obama met people in Paris " + i + " times \uD83D\uDDFD and London");
            }
            List<EntityMention> mentions = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                ModelPrediction prediction = model.predict(List.of(texts.get(i))).get(0);
                assertThat(prediction.sentiment()).isNull();
                for (EntityMention mention : prediction.entities()) {
                    assertThat(mention.start).isBetween(0, texts.get(i).length());
                    assertThat(mention.end).isBetween(mention.start + 1, texts.get(i).length());
                    assertThat(mention.type).isIn("PER", "LOC");
                    mentions.add(mention);
                }
            }
            // Random weights tag something somewhere in 40 texts of 15 tokens; all of it lands in bounds.
            assertThat(mentions).isNotEmpty();
        }
    }

    @Test
    void aSentimentModelWithoutThreeUsableLabelsIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("four-labels");
        TrainingVenv.run(List.of(TrainingVenv.script("src/test/python/make_tiny_hf_model.py"), source.toString(),
                "sentiment", tokenizer.toString(), "negative,neutral,positive,mixed"));
        Process process = TrainingVenv.start(List.of(TrainingVenv.script("training/export_hf.py"), source.toString(),
                dir.resolve("out").toString()));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("a sentiment model needs 3 labels (negative, neutral, positive)");
        assertThat(dir.resolve("out/model.onnx")).doesNotExist();
    }
}
