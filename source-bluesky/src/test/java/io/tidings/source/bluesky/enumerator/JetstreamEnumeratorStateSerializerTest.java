package io.tidings.source.bluesky.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tidings.source.bluesky.split.JetstreamEventId;
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

    /**
     * Bytes the code of commit 17627ce wrote (enumerator state version 1 holding a version-2 split),
     * read from a file rather than made by today's serializers, which would follow any change.
     */
    @Test
    void readsAVersion1StateWithAVersion2SplitWrittenByEarlierCode() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/jetstream-enumerator-state-v1-unassigned-split-v2.bin")) {
            assertThat(in).isNotNull();
            golden = in.readAllBytes();
        }
        Map<JetstreamEventId, Long> recent = new LinkedHashMap<>();
        recent.put(new JetstreamEventId("did:plc:abc", "app.bsky.feed.post", "3kabc", "3krev1"), 1_725_911_162_329_000L);
        recent.put(new JetstreamEventId("did:plc:def", "app.bsky.feed.post", "3kdef", "3krev2"), 1_725_911_162_329_308L);
        JetstreamSplit split = new JetstreamSplit(JetstreamSplit.SPLIT_ID, 1_725_911_162_329_308L, 1_725_900_000_000_000L, recent);
        assertThat(serializer.deserialize(1, golden)).isEqualTo(new JetstreamEnumeratorState(true, split));
    }

    @Test
    void refusesUnknownVersions() {
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class);
    }
}
