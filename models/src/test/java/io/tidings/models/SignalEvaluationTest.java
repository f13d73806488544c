package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SignalEvaluation}: both input formats, TweetEval's metrics by hand, and a model's heads on the sample files. */
class SignalEvaluationTest {

    @TempDir
    Path dir;

    static Path sample(String name) {
        try {
            return Path.of(SignalEvaluationTest.class.getResource("/signals/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void macroF1IsTheMeanOfTheClassesF1() {
        // gold anger anger joy optimism sadness sadness; predicted anger joy joy joy sadness anger
        SignalEvaluation.Result result = SignalEvaluation.score("emotion", List.of(0, 0, 1, 2, 3, 3), List.of(0, 1, 1, 1, 3, 0));
        assertThat(result.confusion()).isEqualTo(new long[][] {{1, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 1}});
        assertThat(result.precision("anger")).isEqualTo(0.5);
        assertThat(result.recall("anger")).isEqualTo(0.5);
        assertThat(result.f1("joy")).isCloseTo(0.5, within(1e-12)); // P 1/3, R 1
        assertThat(result.f1("optimism")).isZero();
        assertThat(result.f1("sadness")).isCloseTo(2.0 / 3, within(1e-12)); // P 1, R 1/2
        assertThat(result.macroF1()).isCloseTo((0.5 + 0.5 + 0 + 2.0 / 3) / 4, within(1e-12));
        assertThat(result.metric()).isEqualTo(result.macroF1());
        assertThat(result.report()).contains("task: emotion").contains("texts: 6").contains("macro-F1: 0.4167")
                .containsPattern("optimism\\s+0\\.0000\\s+0\\.0000\\s+0\\.0000\\s+1");
    }

    @Test
    void macroF1AveragesOnlyTheClassesThatOccur() {
        // as TweetEval's scorer (scikit-learn's classification_report): a sample of joy alone, all right, is 1
        assertThat(SignalEvaluation.score("emotion", List.of(1, 1), List.of(1, 1)).macroF1()).isEqualTo(1.0);
        // a class only predicted counts (its F1 is 0); one neither gold nor predicted does not
        assertThat(SignalEvaluation.score("emotion", List.of(1, 1), List.of(1, 3)).macroF1())
                .isCloseTo((2.0 / 3 + 0) / 2, within(1e-12));
    }

    @Test
    void anEmptyFileIsRefusedAndAByteOrderMarkIgnored() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.tsv"), "");
        // refused before the model is used: no texts, no score of 0
        assertThatThrownBy(() -> SignalEvaluation.evaluate(null, "emotion", empty)).hasMessageContaining("has no texts");
        Files.writeString(dir.resolve("bom.tsv"), "\uFEFFjoy\ti love this\n");
        assertThat(SignalEvaluation.read("emotion", dir.resolve("bom.tsv"))).extracting(SignalEvaluation.LabeledText::label)
                .containsExactly(1);
        Files.writeString(dir.resolve("b_text.txt"), "i love this\n");
        Files.writeString(dir.resolve("b_labels.txt"), "\uFEFF1\n");
        assertThat(SignalEvaluation.read("emotion", dir.resolve("b_text.txt"))).extracting(SignalEvaluation.LabeledText::label)
                .containsExactly(1);
    }

    /** A red-team finding: bytes that are not UTF-8 failed with the decoder's "Input length = 1". */
    @Test
    void bytesThatAreNotUtf8AreRefusedNamingFileLineAndByte() throws IOException {
        Path text = Files.write(dir.resolve("c_text.txt"), new byte[] {'o', 'k', '\n', 'n', 'o', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.writeString(dir.resolve("c_labels.txt"), "1\n2\n");
        assertThatThrownBy(() -> SignalEvaluation.read("emotion", text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(text + ":2: not UTF-8 text (byte 3 of the line, 0xff); save the file as UTF-8");
        Path tsv = Files.write(dir.resolve("bad.tsv"), new byte[] {'j', 'o', 'y', '\t', (byte) 0xc3, '\n'});
        assertThatThrownBy(() -> SignalEvaluation.read("emotion", tsv)).hasMessageStartingWith(tsv + ":1: not UTF-8 text (byte 5");
    }

    @Test
    void ironysMetricIsTheF1OfTheIronyClass() {
        SignalEvaluation.Result result = SignalEvaluation.score("irony", List.of(1, 1, 0, 0, 0), List.of(1, 0, 1, 0, 0));
        assertThat(result.f1("irony")).isCloseTo(0.5, within(1e-12));
        assertThat(result.f1("not-irony")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.metric()).isCloseTo(0.5, within(1e-12));
        assertThat(result.metricName()).isEqualTo("F1 (irony)");
        assertThat(result.report()).contains("F1 (irony): 0.5000").contains("macro-F1: 0.5833");
        // the other yes/no tasks are scored by macro-F1, as TweetEval does
        assertThat(SignalEvaluation.score("offensive", List.of(1, 1, 0, 0, 0), List.of(1, 0, 1, 0, 0)).metric())
                .isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-12));
    }

    @Test
    void readsTweetEvalFilesAndTsvByLabelName() throws IOException {
        List<SignalEvaluation.LabeledText> emotion = SignalEvaluation.read("emotion", sample("emotion_sample_text.txt"));
        assertThat(emotion).extracting(SignalEvaluation.LabeledText::label).containsExactly(0, 1, 2, 3, 0, 1);
        assertThat(emotion.get(0).text()).startsWith("I am furious");
        List<SignalEvaluation.LabeledText> hate = SignalEvaluation.read("hate", sample("hate.tsv"));
        assertThat(hate).extracting(SignalEvaluation.LabeledText::label).containsExactly(1, 0, 0, 1);

        Files.writeString(dir.resolve("bad.tsv"), "offensive\tok\nrude\tnot a label\n");
        assertThatThrownBy(() -> SignalEvaluation.read("offensive", dir.resolve("bad.tsv")))
                .hasMessageContaining("bad.tsv:2").hasMessageContaining("unknown offensive label 'rude'")
                .hasMessageContaining("[not-offensive, offensive]");
        Files.writeString(dir.resolve("x_text.txt"), "a\nb\n");
        Files.writeString(dir.resolve("x_labels.txt"), "1\n2\n");
        assertThatThrownBy(() -> SignalEvaluation.read("irony", dir.resolve("x_text.txt")))
                .hasMessageContaining("x_labels.txt:2").hasMessageContaining("not a irony label index 0..1");
        Files.writeString(dir.resolve("lonely_text.txt"), "a\n");
        assertThatThrownBy(() -> SignalEvaluation.read("irony", dir.resolve("lonely_text.txt")))
                .hasMessageContaining("lonely_labels.txt are not beside it");
        assertThatThrownBy(() -> SignalEvaluation.labels("sarcasm")).hasMessageContaining("no task 'sarcasm'");
    }

    @Test
    void aModelWithTheHeadsGetsTheSamplesRight() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        try (TweetModel model = TweetModel.load(ModelLocation.of(FixtureModels.withSignals()), 1, 4)) {
            for (String[] task : new String[][] {{"emotion", "emotion_sample_text.txt"}, {"hate", "hate.tsv"},
                    {"irony", "irony.tsv"}, {"offensive", "offensive.tsv"}}) {
                SignalEvaluation.Result result = SignalEvaluation.evaluate(model, task[0], sample(task[1]));
                assertThat(result.total()).isPositive();
                assertThat(result.metric()).as(result.report()).isEqualTo(1.0);
            }
        }
    }

    @Test
    void aModelWithoutTheHeadIsRefused() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        try (TweetModel model = TweetModel.load(ModelLocation.of(FixtureModels.multitask()), 1, 4)) {
            assertThat(SignalEvaluation.hasHead(model, "irony")).isFalse();
            assertThatThrownBy(() -> SignalEvaluation.evaluate(model, "irony", sample("irony.tsv")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Model fixture-lookup@test has no irony head");
        }
    }
}
