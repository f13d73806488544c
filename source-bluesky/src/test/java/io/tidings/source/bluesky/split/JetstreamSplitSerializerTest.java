package io.tidings.source.bluesky.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JetstreamSplitSerializerTest {
    private static final String DID = "did:plc:alice2kzc6l7uv3mk3wpqsgzn";
    private final JetstreamSplitSerializer serializer = new JetstreamSplitSerializer();

    /** Bytes of a checkpoint written by an older version (src/test/resources/checkpoints/README.md). */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = JetstreamSplitSerializerTest.class.getResourceAsStream("/checkpoints/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static JetstreamEventId post(String rkey, String rev) {
        return new JetstreamEventId(DID, "app.bsky.feed.post", rkey, rev);
    }

    @Test
    void roundTripsFreshStartedAndWithACursorAndRecentEvents() throws IOException {
        assertThat(serializer.getVersion()).isEqualTo(2);
        Map<JetstreamEventId, Long> recent = new LinkedHashMap<>();
        recent.put(post("3kfff0000001", "3l3qo2vutsw2b"), 1_725_911_162_329_308L);
        recent.put(post("3kfff0000001", "3l3f6nzl3cv2s"), 1_725_911_162_329_308L); // its delete: same time, another rev
        recent.put(new JetstreamEventId(DID, null, "", "✓ not ASCII"), 1_725_911_163_000_000L);
        for (JetstreamSplit split : new JetstreamSplit[] {JetstreamSplit.fresh(),
                JetstreamSplit.fresh().startedAt(1_725_911_000_000_000L),
                new JetstreamSplit(JetstreamSplit.SPLIT_ID, 1_725_911_163_000_000L, 1_725_911_000_000_000L, recent)}) {
            byte[] bytes = serializer.serialize(split);
            JetstreamSplit back = serializer.deserialize(serializer.getVersion(), bytes);
            assertThat(back).isEqualTo(split);
            assertThat(back.recentEvents().keySet()).as("in the order emitted").containsExactlyElementsOf(split.recentEvents().keySet());
        }
    }

    @Test
    void readsAVersion1CheckpointTakenBeforeAnyEventAsASubscriptionThatHasNotStarted() throws IOException {
        JetstreamSplit split = serializer.deserialize(1, resource("jetstream-split-v1-before-any-event.bin"));
        assertThat(split).isEqualTo(JetstreamSplit.fresh());
        assertThat(split.isFresh()).as("the reader that gets it starts the subscription").isTrue();
        assertThat(split.cursor()).isEmpty();
    }

    @Test
    void readsAVersion1CheckpointWithACursor() throws IOException {
        JetstreamSplit split = serializer.deserialize(1, resource("jetstream-split-v1-with-cursor.bin"));
        assertThat(split).isEqualTo(new JetstreamSplit("bluesky-jetstream-0", 1_725_911_162_329_308L));
        assertThat(split.cursor()).hasValue(1_725_911_162_329_308L);
        assertThat(split.hasStarted()).isFalse();
        assertThat(split.isFresh()).as("it goes on after its cursor").isFalse();
        assertThat(split.recentEvents()).isEmpty();
    }

    /** The split of {@code jetstream-split-v2-with-recent-events.bin} (version 2, commit 17627ce). */
    static JetstreamSplit version2Split() {
        Map<JetstreamEventId, Long> recent = new LinkedHashMap<>();
        recent.put(new JetstreamEventId("did:plc:abc", "app.bsky.feed.post", "3kabc", "3krev1"), 1_725_911_162_329_000L);
        recent.put(new JetstreamEventId("did:plc:def", "app.bsky.feed.post", "3kdef", "3krev2"), 1_725_911_162_329_308L);
        return new JetstreamSplit(JetstreamSplit.SPLIT_ID, 1_725_911_162_329_308L, 1_725_900_000_000_000L, recent);
    }

    /**
     * Version 2 (the current one) as the code of commit 17627ce wrote it: the round trip passes
     * whatever the layout is, these bytes fail the day it changes without a new version. (When
     * version 3 comes, keep the read and drop the write assertion.)
     */
    @Test
    void readsAndStillWritesVersion2CheckpointsToTheByte() throws IOException {
        byte[] golden = resource("jetstream-split-v2-with-recent-events.bin");
        JetstreamSplit split = serializer.deserialize(2, golden);
        assertThat(split).isEqualTo(version2Split());
        assertThat(split.recentEvents().keySet()).as("in the order written").containsExactlyElementsOf(
                version2Split().recentEvents().keySet());
        assertThat(serializer.serialize(version2Split())).isEqualTo(golden);
    }

    @Test
    void refusesUnknownVersions() {
        for (int version : new int[] {0, 3, 99}) {
            assertThatThrownBy(() -> serializer.deserialize(version, new byte[0])).isInstanceOf(IOException.class)
                    .hasMessageContaining("version " + version);
        }
    }

    @Test
    void stateAdvancesOnlyForwardAndForgetsEventsOutsideTheWindow() {
        JetstreamSplitState state = new JetstreamSplitState(JetstreamSplit.fresh().startedAt(50), 100);
        state.emitted(post("a", "1"), 100);
        state.advance(100);
        state.emitted(post("b", "1"), 300);
        state.advance(300);
        state.advance(200);
        assertThat(state.toSplit()).isEqualTo(new JetstreamSplit(JetstreamSplit.SPLIT_ID, 300, 50,
                Map.of(post("b", "1"), 300L)));
    }
}
