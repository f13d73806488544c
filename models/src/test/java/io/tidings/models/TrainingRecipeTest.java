package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two steps of {@code models/training/build.sh} that made the bundled model: mention
 * replacement on the BTC training sentences (types, forms and context kept, names swapped) and the
 * averaging of the runs' weights ({@code soup.py}: means of the float weights, integer buffers
 * kept, runs of another shape refused), and the signal heads' branch ({@code train_heads.py}: the
 * pooled feed-forward part exported with int8 weights, close to PyTorch and padding-invariant; teacher
 * targets; a same-day rebuild versioned apart). The checks themselves are Python, in
 * {@code src/test/python/training_recipe_checks.py}, run with the training venv ({@link TrainingVenv}).
 */
class TrainingRecipeTest {

    @Test
    void mentionReplacementAndWeightAveragingDoWhatTheRecipeSays(@TempDir Path dir) throws Exception {
        // A cut of the real BTC training sentences kept in the repository (CC-BY 4.0, see its README).
        Path btcTrain = Path.of("src/test/resources/btc-sample/btc.train.merged.sample.conll").toAbsolutePath();
        assertThat(btcTrain).exists();
        String output = TrainingVenv.run(List.of(TrainingVenv.script("src/test/python/training_recipe_checks.py"),
                btcTrain.toString(), dir.resolve("runs").toString()));
        assertThat(output).contains("mention replacement: ", "mentions swapped", "soup: weights averaged",
                "heads branch: pooled feed-forward exported with int8 weights");
    }
}
