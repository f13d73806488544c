package io.tidings.source.bluesky.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JetstreamSplitSerializerTest {
    private final JetstreamSplitSerializer serializer = new JetstreamSplitSerializer();

    @Test
    void roundTripsWithAndWithoutACursor() throws IOException {
        assertThat(serializer.getVersion()).isEqualTo(1);
        for (JetstreamSplit split : new JetstreamSplit[] {JetstreamSplit.fresh(),
                new JetstreamSplit(JetstreamSplit.SPLIT_ID, 1_725_911_162_329_308L)}) {
            byte[] bytes = serializer.serialize(split);
            assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(split);
        }
    }

    @Test
    void readsBytesWrittenByVersion1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("bluesky-jetstream-0");
            out.writeLong(1_725_911_162_329_308L);
        }
        JetstreamSplit split = serializer.deserialize(1, bytes.toByteArray());
        assertThat(split).isEqualTo(new JetstreamSplit("bluesky-jetstream-0", 1_725_911_162_329_308L));
        assertThat(split.cursor()).hasValue(1_725_911_162_329_308L);
        assertThat(JetstreamSplit.fresh().cursor()).isEmpty();
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    void stateAdvancesOnlyForward() {
        JetstreamSplitState state = new JetstreamSplitState(JetstreamSplit.fresh());
        state.advance(100);
        state.advance(300);
        state.advance(200);
        assertThat(state.toSplit()).isEqualTo(new JetstreamSplit(JetstreamSplit.SPLIT_ID, 300));
    }
}
