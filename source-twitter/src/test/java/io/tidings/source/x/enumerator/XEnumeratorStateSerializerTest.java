package io.tidings.source.x.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import io.tidings.source.x.split.XStreamSplitSerializerTest;
import org.junit.jupiter.api.Test;

class XEnumeratorStateSerializerTest {
    private final XEnumeratorStateSerializer serializer = new XEnumeratorStateSerializer();

    @Test
    void roundTrips() throws IOException {
        for (XEnumeratorState state : new XEnumeratorState[] {XEnumeratorState.initial(),
                new XEnumeratorState(true, null),
                new XEnumeratorState(true, new XStreamSplit("x-stream-0", "1861234567890", 7L, 3L))}) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void readsBytesWrittenByVersion1() throws IOException {
        byte[] split = new XStreamSplitSerializer().serialize(new XStreamSplit("x-stream-0", "5", 6L, 3L));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(true);
            out.writeBoolean(true);
            out.writeInt(XStreamSplitSerializer.CURRENT_VERSION);
            out.writeInt(split.length);
            out.write(split);
        }
        assertThat(serializer.deserialize(1, bytes.toByteArray()))
                .isEqualTo(new XEnumeratorState(true, new XStreamSplit("x-stream-0", "5", 6L, 3L)));
    }

    /** Bytes the version-1 code wrote (src/test/resources/checkpoints/README.md): a fresh split waiting for reader 0. */
    @Test
    void readsAStateWithAVersion1SplitWrittenByTheOldCode() throws IOException {
        byte[] bytes = XStreamSplitSerializerTest.resource("x-enumerator-state-v1-unassigned-before-any-post.bin");
        assertThat(serializer.deserialize(1, bytes)).isEqualTo(new XEnumeratorState(true, XStreamSplit.fresh()));
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class);
    }
}
