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
        assertThat(serializer.getVersion()).isEqualTo(2);
        for (MastodonSplit split : new MastodonSplit[] {MastodonSplit.fresh(), MastodonSplit.fresh().startedAt(STARTED),
                new MastodonSplit(MastodonSplit.SPLIT_ID, LAST, STARTED), withRecent()}) {
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
        assertThat(goingOn.recentStatuses()).as("version 1 kept no statuses to recheck").isEmpty();
    }

    /** The split of {@code mastodon-split-v2-with-recent-statuses.bin}. */
    private static MastodonSplit withRecent() {
        java.util.Map<String, String> recent = new java.util.LinkedHashMap<>();
        recent.put("115605504065798144", "");
        recent.put(LAST, "2025-11-24T16:05:00.000Z");
        return new MastodonSplit(MastodonSplit.SPLIT_ID, LAST, STARTED, recent);
    }

    @Test
    void readsVersion2CheckpointsWithTheStatusesToRecheckInTheirOrder() throws IOException {
        MastodonSplit split = serializer.deserialize(2, resource("mastodon-split-v2-with-recent-statuses.bin"));
        assertThat(split).isEqualTo(withRecent());
        assertThat(split.recentStatuses().keySet()).containsExactly("115605504065798144", LAST);
        assertThat(serializer.serialize(split)).as("version 2 writes the same bytes")
                .isEqualTo(resource("mastodon-split-v2-with-recent-statuses.bin"));
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
        for (int version : new int[] {0, 3, 99}) {
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

    @Test
    void theStatusesToRecheckFollowWhatWasEmittedAndStayWithinFifteenMinutesOfStreamTime() {
        MastodonSplitState state = new MastodonSplitState(MastodonSplit.fresh().startedAt(STARTED));
        long t0 = 1_764_000_000_000L;
        String a = Long.toString(t0 << 16);
        String b = Long.toString((t0 + 1_000) << 16);
        String c = Long.toString((t0 + RecentStatuses.WINDOW_MILLIS + 1) << 16);
        state.emittedVersion(a, "");
        state.emittedVersion(b, "");
        state.emittedVersion(b, "2025-11-24T16:05:00.000Z"); // an edit: the newer version is what was emitted
        state.emittedVersion(b, "2025-11-24T16:04:00.000Z"); // an older edit, late: not newer
        assertThat(state.toSplit().recentStatuses()).containsExactly(java.util.Map.entry(a, ""),
                java.util.Map.entry(b, "2025-11-24T16:05:00.000Z"));
        state.emittedVersion(c, ""); // 15 minutes and 1 ms after a: a is forgotten, b (1 s later) kept
        assertThat(state.toSplit().recentStatuses()).containsOnlyKeys(b, c);
        state.deleted(b);
        assertThat(state.toSplit().recentStatuses()).as("a deletion emitted: nothing to recheck").containsOnlyKeys(c);
    }

    @Test
    void atMostTheNewestTwoThousandStatusesAreKept() {
        MastodonSplitState state = new MastodonSplitState(MastodonSplit.fresh().startedAt(STARTED));
        long t0 = 1_764_000_000_000L;
        for (int i = 0; i < RecentStatuses.MAX_IDS + 5; i++) {
            state.emittedVersion(Long.toString((t0 + i) << 16), "");
        }
        java.util.Map<String, String> kept = state.toSplit().recentStatuses();
        assertThat(kept).hasSize(RecentStatuses.MAX_IDS);
        assertThat(kept.keySet().iterator().next()).isEqualTo(Long.toString((t0 + 5) << 16));
    }
}
