package io.tidings.source.bluesky.enumerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: split-created flag, has-unassigned flag, then (when flagged) the split serializer's
 * version (int), length (int) and bytes, so the split format can evolve on its own.
 */
@Internal
public final class JetstreamEnumeratorStateSerializer implements SimpleVersionedSerializer<JetstreamEnumeratorState> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    private final JetstreamSplitSerializer splitSerializer = new JetstreamSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(JetstreamEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(state.splitCreated());
            out.writeBoolean(state.unassigned().isPresent());
            if (state.unassigned().isPresent()) {
                byte[] split = splitSerializer.serialize(state.unassigned().get());
                out.writeInt(splitSerializer.getVersion());
                out.writeInt(split.length);
                out.write(split);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public JetstreamEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown JetstreamEnumeratorState serializer version " + version + " (this code knows 1.."
                    + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            boolean created = in.readBoolean();
            JetstreamSplit unassigned = null;
            if (in.readBoolean()) {
                int splitVersion = in.readInt();
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                unassigned = splitSerializer.deserialize(splitVersion, split);
            }
            return new JetstreamEnumeratorState(created, unassigned);
        }
    }
}
