package io.tidings.source.bluesky.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: split id (UTF), last time_us (long, -1 = none). */
@Internal
public final class JetstreamSplitSerializer implements SimpleVersionedSerializer<JetstreamSplit> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(JetstreamSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.splitId());
            out.writeLong(split.lastTimeUs());
        }
        return bytes.toByteArray();
    }

    @Override
    public JetstreamSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown JetstreamSplit serializer version " + version + " (this code knows 1.."
                    + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new JetstreamSplit(in.readUTF(), in.readLong());
        }
    }
}
