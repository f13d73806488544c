package io.tidings.operators.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.models.TweetModel;
import org.junit.jupiter.api.Test;

class EnrichmentSettingsTest {

    @Test
    void smallBatchesStillGetALargeGroupToSortByLength() {
        // batches of 8 must not shrink the group the model sorts by length to 64 posts
        assertThat(settings(8).gatherSize()).isEqualTo(EnrichmentSettings.GATHER_POSTS);
        assertThat(settings(1).gatherSize()).isEqualTo(EnrichmentSettings.GATHER_POSTS);
        assertThat(settings(1000).gatherSize()).isEqualTo(1000);
    }

    @Test
    void defaultsUseTheModelsDefaultBatchSize() {
        EnrichmentSettings defaults = EnrichmentSettings.defaults();
        assertThat(defaults.batchSize()).isEqualTo(TweetModel.DEFAULT_BATCH_SIZE);
        assertThat(defaults.modelLocation()).isEqualTo(EnrichmentSettings.BUNDLED_MODEL);
        assertThat(defaults.gatherSize()).isGreaterThanOrEqualTo(8 * defaults.batchSize());
    }

    @Test
    void refusesNonPositiveSizes() {
        assertThatThrownBy(() -> settings(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnrichmentSettings(EnrichmentSettings.BUNDLED_MODEL, 0, 2, 8, 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnrichmentSettings(EnrichmentSettings.BUNDLED_MODEL, 1, 2, 8, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMessageNamesEachBadValueAsGiven() {
        // It once printed the record from its compact constructor, before the fields were set:
        // "workerThreads=0" whatever was given.
        assertThatThrownBy(() -> new EnrichmentSettings(EnrichmentSettings.BUNDLED_MODEL, 1, -1, 0, 20))
                .hasMessage("worker threads must be >= 1, got -1\nbatch size must be >= 1, got 0");
    }

    private static EnrichmentSettings settings(int batchSize) {
        return new EnrichmentSettings(EnrichmentSettings.BUNDLED_MODEL, 1, 2, batchSize, 20);
    }
}
