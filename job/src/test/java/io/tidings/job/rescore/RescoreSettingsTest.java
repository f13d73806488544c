package io.tidings.job.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model's signals a rescore is told are issue 21's heads, by the keys the lake's rows are read with ({@link LakePosts#signals}). */
class RescoreSettingsTest {
    @Test
    void aSignalTheLakeHasNoColumnsForIsRefused() {
        assertThatThrownBy(() -> new RescoreSettings(List.of(), 0, "m@1", Set.of("emotion", "sarcasm")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sarcasm").hasMessageContaining("[emotion, hate, irony, offensive]");
    }

    @Test
    void aModelWithoutSignalsGivesNone() {
        assertThat(new RescoreSettings(List.of(), 0, "m@1").modelSignals()).isEmpty();
        assertThat(new RescoreSettings(List.of(), 0, "m@1", Set.of("irony", "emotion")).modelSignals())
                .containsExactlyInAnyOrder("emotion", "irony");
    }
}
