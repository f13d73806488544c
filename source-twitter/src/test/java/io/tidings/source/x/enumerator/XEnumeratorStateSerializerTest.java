package io.tidings.source.x.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import org.junit.jupiter.api.Test;

class XEnumeratorStateSerializerTest {
    private final XEnumeratorStateSerializer serializer = new XEnumeratorStateSerializer();

    @Test
    void roundTrips() throws IOException {
        for (XEnumeratorState state : new XEnumeratorState[] {XEnumeratorState.initial(),
                new XEnumeratorState(true, null),
                new XEnumeratorState(true, new XStreamSplit("x-stream-0", "1861234567890", 7L))}) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void readsBytesWrittenByVersion1() throws IOException {
        byte[] split = new XStreamSplitSerializer().serialize(new XStreamSplit("x-stream-0", "5", 6L));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(true);
            out.writeBoolean(true);
            out.writeInt(1);
            out.writeInt(split.length);
            out.write(split);
        }
        assertThat(serializer.deserialize(1, bytes.toByteArray()))
                .isEqualTo(new XEnumeratorState(true, new XStreamSplit("x-stream-0", "5", 6L)));
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class);
    }
}
