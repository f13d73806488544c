package io.tidings.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkippedKindsTest {
    @Test
    void countsByKindAndMergesAcrossTasks() {
        SkippedKinds one = new SkippedKinds();
        one.add("X compliance tweet_edit");
        one.add("X compliance tweet_edit");
        SkippedKinds two = new SkippedKinds();
        two.add("X compliance tweet_edit");
        two.add("Bluesky 'identity' event");
        one.merge(two);
        assertThat(one.getLocalValue()).containsEntry("X compliance tweet_edit", 3L).containsEntry("Bluesky 'identity' event", 1L)
                .hasSize(2);
        assertThat(one.clone().getLocalValue()).isEqualTo(one.getLocalValue()).isNotSameAs(one.getLocalValue());
    }

    @Test
    void aStreamThatInventsAKindPerRecordCannotGrowTheCountsWithoutBound() {
        SkippedKinds kinds = new SkippedKinds();
        for (int i = 0; i < 10_000; i++) {
            kinds.add("Bluesky 'kind" + i + "' event");
        }
        kinds.add("Bluesky 'kind0' event");
        assertThat(kinds.getLocalValue()).hasSize(SkippedKinds.MAX_KINDS + 1);
        assertThat(kinds.getLocalValue().get(SkippedKinds.OTHER)).isEqualTo(10_000L - SkippedKinds.MAX_KINDS);
        assertThat(kinds.getLocalValue().get("Bluesky 'kind0' event")).as("a kind already counted goes on counting").isEqualTo(2L);
    }
}
