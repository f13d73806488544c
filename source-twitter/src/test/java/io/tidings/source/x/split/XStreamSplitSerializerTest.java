package io.tidings.source.x.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

public class XStreamSplitSerializerTest {
    private final XStreamSplitSerializer serializer = new XStreamSplitSerializer();

    /** Bytes of a checkpoint written by an older version (src/test/resources/checkpoints/README.md). */
    public static byte[] resource(String name) throws IOException {
        try (InputStream in = XStreamSplitSerializerTest.class.getResourceAsStream("/checkpoints/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void roundTripsFreshStartedAndWithAPosition() throws IOException {
        assertThat(serializer.getVersion()).isEqualTo(2);
        for (XStreamSplit split : new XStreamSplit[] {XStreamSplit.fresh(),
                XStreamSplit.fresh().startedAt(1_800_000_000_000L),
                new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, "1861234567890123456", 1_800_000_000_123L, 1_799_999_000_000L)}) {
            byte[] bytes = serializer.serialize(split);
            assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(split);
        }
    }

    @Test
    void readsAVersion1CheckpointTakenBeforeAnyPostAsASubscriptionThatHasNotStarted() throws IOException {
        XStreamSplit split = serializer.deserialize(1, resource("x-stream-split-v1-before-any-post.bin"));
        assertThat(split).isEqualTo(XStreamSplit.fresh());
        assertThat(split.isFresh()).as("the reader that gets it starts the subscription").isTrue();
    }

    @Test
    void readsAVersion1CheckpointWithAPosition() throws IOException {
        XStreamSplit split = serializer.deserialize(1, resource("x-stream-split-v1-with-position.bin"));
        assertThat(split).isEqualTo(new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, "1861234567890123456",
                1_800_000_000_123L, XStreamSplit.NO_TIME));
        assertThat(split.isFresh()).as("it goes on after its position").isFalse();
    }

    /**
     * Version 2 (the current one) as the code of commit 17627ce wrote it. The round trip above
     * passes whatever the layout is; these bytes fail the day the layout changes without a new
     * version, which would misread every version-2 checkpoint taken so far. (When version 3 comes,
     * keep the read and drop the write assertion.)
     */
    @Test
    void readsAndStillWritesVersion2CheckpointsToTheByte() throws IOException {
        XStreamSplit split = new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, "1861234567890123456",
                1_800_000_000_123L, 1_799_999_000_000L);
        assertThat(serializer.deserialize(2, resource("x-stream-split-v2-with-position.bin"))).isEqualTo(split);
        assertThat(serializer.serialize(split)).isEqualTo(resource("x-stream-split-v2-with-position.bin"));
    }

    @Test
    void refusesUnknownVersions() {
        for (int version : new int[] {0, 3, 99}) {
            assertThatThrownBy(() -> serializer.deserialize(version, new byte[0])).isInstanceOf(IOException.class)
                    .hasMessageContaining("version " + version).hasMessageContaining("knows 1..2");
        }
    }

    @Test
    void stateAdvancesOnlyToNewerIdsAndKeepsTheStart() {
        XStreamSplitState state = new XStreamSplitState(XStreamSplit.fresh().startedAt(1));
        state.advance("99", 1);
        state.advance("100", 2);
        state.advance("98", 3);
        state.advance(null, 4);
        assertThat(state.toSplit()).isEqualTo(new XStreamSplit("x-stream-0", "100", 2, 1));
        assertThat(XStreamSplit.compareIds("1861234567890", "999999999999")).isPositive();
    }

    @Test
    void aStartedSplitKeepsItsStart() {
        XStreamSplit started = XStreamSplit.fresh().startedAt(5);
        assertThat(started.startedAt(9)).isSameAs(started);
        assertThat(started.subscribedAt()).isEqualTo(5);
    }
}
