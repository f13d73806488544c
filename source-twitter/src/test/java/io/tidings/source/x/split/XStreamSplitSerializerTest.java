package io.tidings.source.x.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class XStreamSplitSerializerTest {
    private final XStreamSplitSerializer serializer = new XStreamSplitSerializer();

    @Test
    void roundTripsWithAndWithoutAPosition() throws IOException {
        for (XStreamSplit split : new XStreamSplit[] {XStreamSplit.fresh(),
                new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, "1861234567890123456", 1_800_000_000_123L)}) {
            byte[] bytes = serializer.serialize(split);
            assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(split);
        }
    }

    @Test
    void readsBytesWrittenByVersion1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("x-stream-0");
            out.writeBoolean(true);
            out.writeUTF("1861234567890");
            out.writeLong(42L);
        }
        assertThat(serializer.deserialize(1, bytes.toByteArray()))
                .isEqualTo(new XStreamSplit("x-stream-0", "1861234567890", 42L));
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    void stateAdvancesOnlyToNewerIds() {
        XStreamSplitState state = new XStreamSplitState(XStreamSplit.fresh());
        state.advance("99", 1);
        state.advance("100", 2);
        state.advance("98", 3);
        state.advance(null, 4);
        assertThat(state.toSplit()).isEqualTo(new XStreamSplit("x-stream-0", "100", 2));
        assertThat(XStreamSplit.compareIds("1861234567890", "999999999999")).isPositive();
    }
}
