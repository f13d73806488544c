package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** {@link SharedModels}: one model per (location, threads), closed with the last lease. */
class SharedModelsTest {

    @Test
    void sharesOneModelAndClosesItWithTheLastLease() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        ModelLocation location = ModelLocation.of(FixtureModels.sequenceClassifier());
        SharedModels.Lease first = SharedModels.acquire(location, 1);
        SharedModels.Lease second = SharedModels.acquire(ModelLocation.parse(FixtureModels.sequenceClassifier().toString()), 1);
        SharedModels.Lease otherThreads = SharedModels.acquire(location, 2);
        try {
            assertThat(second.model()).isSameAs(first.model());
            assertThat(otherThreads.model()).isNotSameAs(first.model());
            assertThat(SharedModels.references(location, 1)).isEqualTo(2);
            first.close();
            first.close(); // idempotent
            assertThat(SharedModels.references(location, 1)).isEqualTo(1);
            assertThat(second.model().predict("I love it").sentiment()).isEqualTo("positive");
            assertThatThrownBy(first::model).isInstanceOf(IllegalStateException.class);
        } finally {
            second.close();
            otherThreads.close();
        }
        assertThat(SharedModels.references(location, 1)).isZero();
        SharedModels.Lease again = SharedModels.acquire(location, 1);
        try {
            assertThat(again.model().predict("I hate it").sentiment()).isEqualTo("negative");
        } finally {
            again.close();
        }
    }
}
