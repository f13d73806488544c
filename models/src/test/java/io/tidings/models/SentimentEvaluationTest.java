package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SentimentEvaluation}: both input formats and the SemEval metric, by hand. */
class SentimentEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void computesMacroRecallAccuracyAndConfusion() {
        SentimentEvaluation.Result result = SentimentEvaluation.score(
                List.of("positive", "positive", "negative", "negative", "neutral", "neutral", "positive"),
                List.of("positive", "neutral", "negative", "positive", "neutral", "positive", "positive"));
        assertThat(result.confusion()).isEqualTo(new long[][] {{1, 0, 1}, {0, 1, 1}, {0, 1, 2}});
        assertThat(result.recall("negative")).isEqualTo(0.5);
        assertThat(result.recall("positive")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.macroRecall()).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(result.accuracy()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(result.report()).contains("macro-recall: 0.5556").contains("accuracy:     0.5714");
    }

    @Test
    void evaluatesAModelOnSemEvalTsv() throws IOException {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        Path tsv = dir.resolve("tiny.tsv");
        Files.writeString(tsv, String.join("\n", "1\tpositive\tI love it", "2\tpositive\t\"the bus is late\"\t",
                "3\tnegative\tI hate this", "4\tnegative\tgreat\\u002c just great", "5\tneutral\tnothing here",
                "6\tneutral\tlove love", "7\tpositive\tgreat day", ""));
        List<SentimentEvaluation.LabeledText> data = SentimentEvaluation.read(tsv);
        assertThat(data).hasSize(7);
        assertThat(data.get(1).text()).isEqualTo("the bus is late");
        assertThat(data.get(3).text()).isEqualTo("great, just great");
        try (TweetModel model = TweetModel.load(ModelLocation.of(FixtureModels.multitask()), 1, 4)) {
            SentimentEvaluation.Result result = SentimentEvaluation.evaluate(model, data);
            assertThat(result.confusion()).isEqualTo(new long[][] {{1, 0, 1}, {0, 1, 1}, {0, 1, 2}});
            assertThat(result.macroRecall()).isCloseTo(5.0 / 9, within(1e-12));
        }
    }

    @Test
    void readsTweetEvalTextAndLabelFiles() throws IOException {
        Files.writeString(dir.resolve("val_text.txt"), "I love it\nmeh @user \nso bad\n");
        Files.writeString(dir.resolve("val_labels.txt"), "2\n1\n0\n");
        List<SentimentEvaluation.LabeledText> data = SentimentEvaluation.read(dir.resolve("val_text.txt"));
        assertThat(data).extracting(SentimentEvaluation.LabeledText::label)
                .containsExactly("positive", "neutral", "negative");
        assertThat(data.get(1).text()).isEqualTo("meh @user ");
    }
}
