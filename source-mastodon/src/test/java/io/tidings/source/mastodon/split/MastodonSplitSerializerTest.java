package io.tidings.source.mastodon.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.mastodon.enumerator.MastodonEnumeratorState;
import io.tidings.source.mastodon.enumerator.MastodonEnumeratorStateSerializer;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MastodonSplitSerializerTest {
    private static final String LAST = "115605504065863680";
    private static final String STARTED = "115605504000000000";
    private final MastodonSplitSerializer serializer = new MastodonSplitSerializer();

    /** Bytes of checkpoints written by version 1 (src/test/resources/checkpoints/README.md). */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = MastodonSplitSerializerTest.class.getResourceAsStream("/checkpoints/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void roundTripsFreshStartedAndGoingOnSplits() throws IOException {
        assertThat(serializer.getVersion()).isEqualTo(1);
        for (MastodonSplit split : new MastodonSplit[] {MastodonSplit.fresh(), MastodonSplit.fresh().startedAt(STARTED),
                new MastodonSplit(MastodonSplit.SPLIT_ID, LAST, STARTED)}) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
        }
    }

    @Test
    void readsVersion1Checkpoints() throws IOException {
        MastodonSplit fresh = serializer.deserialize(1, resource("mastodon-split-v1-fresh.bin"));
        assertThat(fresh).isEqualTo(MastodonSplit.fresh());
        assertThat(fresh.isFresh()).isTrue();
        assertThat(fresh.gapFillFrom()).isEmpty();

        MastodonSplit started = serializer.deserialize(1, resource("mastodon-split-v1-started.bin"));
        assertThat(started.isFresh()).as("a restore before the first status fills from the start").isFalse();
        assertThat(started.gapFillFrom()).hasValue(STARTED);

        MastodonSplit goingOn = serializer.deserialize(1, resource("mastodon-split-v1-with-last-status.bin"));
        assertThat(goingOn).isEqualTo(new MastodonSplit(MastodonSplit.SPLIT_ID, LAST, STARTED));
        assertThat(goingOn.gapFillFrom()).hasValue(LAST);
        assertThat(serializer.serialize(goingOn)).as("version 1 still writes the same bytes")
                .isEqualTo(resource("mastodon-split-v1-with-last-status.bin"));
    }

    @Test
    void readsAVersion1EnumeratorStateWithTheSplitWaitingForItsReader() throws IOException {
        MastodonEnumeratorStateSerializer states = new MastodonEnumeratorStateSerializer();
        MastodonEnumeratorState state = states.deserialize(1, resource("mastodon-enumerator-state-v1-unassigned.bin"));
        assertThat(state).isEqualTo(new MastodonEnumeratorState(true, new MastodonSplit(MastodonSplit.SPLIT_ID, LAST, STARTED)));
        assertThat(states.deserialize(1, states.serialize(MastodonEnumeratorState.initial())))
                .isEqualTo(MastodonEnumeratorState.initial());
    }

    @Test
    void refusesUnknownVersions() {
        for (int version : new int[] {0, 2, 99}) {
            assertThatThrownBy(() -> serializer.deserialize(version, new byte[0])).isInstanceOf(IOException.class)
                    .hasMessageContaining("MastodonSplit serializer version " + version);
        }
    }

    @Test
    void theStateMovesOnlyForwardByNumericIdOrder() {
        MastodonSplitState state = new MastodonSplitState(MastodonSplit.fresh().startedAt(STARTED));
        state.emitted("115605504065863680");
        state.emitted("99999999999999999"); // shorter: an older status, e.g. federated late
        state.emitted("115605504065863679");
        assertThat(state.toSplit()).isEqualTo(new MastodonSplit(MastodonSplit.SPLIT_ID, "115605504065863680", STARTED));
        state.emitted("1156055040658636800");
        assertThat(state.toSplit().lastStatusId()).isEqualTo("1156055040658636800");
    }
}
