package io.tidings.source.bluesky.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import org.junit.jupiter.api.Test;

class JetstreamEnumeratorStateSerializerTest {
    private final JetstreamEnumeratorStateSerializer serializer = new JetstreamEnumeratorStateSerializer();

    @Test
    void roundTrips() throws IOException {
        for (JetstreamEnumeratorState state : new JetstreamEnumeratorState[] {JetstreamEnumeratorState.initial(),
                new JetstreamEnumeratorState(true, null),
                new JetstreamEnumeratorState(true, new JetstreamSplit("bluesky-jetstream-0", 1_725_911_162_329_308L))}) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void readsBytesWrittenByVersion1() throws IOException {
        byte[] split = new JetstreamSplitSerializer().serialize(new JetstreamSplit("bluesky-jetstream-0", 6L));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(true);
            out.writeBoolean(true);
            out.writeInt(JetstreamSplitSerializer.CURRENT_VERSION);
            out.writeInt(split.length);
            out.write(split);
        }
        assertThat(serializer.deserialize(1, bytes.toByteArray()))
                .isEqualTo(new JetstreamEnumeratorState(true, new JetstreamSplit("bluesky-jetstream-0", 6L)));
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class);
    }
}
