package io.tidings.source.x.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: split id (UTF), has-position flag, newest post id (UTF, when flagged), newest seen at
 * (long).
 */
@Internal
public final class XStreamSplitSerializer implements SimpleVersionedSerializer<XStreamSplit> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(XStreamSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.splitId());
            out.writeBoolean(split.newestPostId().isPresent());
            if (split.newestPostId().isPresent()) {
                out.writeUTF(split.newestPostId().get());
            }
            out.writeLong(split.newestSeenAt());
        }
        return bytes.toByteArray();
    }

    @Override
    public XStreamSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown XStreamSplit serializer version " + version + " (this code knows 1.."
                    + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String splitId = in.readUTF();
            String newest = in.readBoolean() ? in.readUTF() : null;
            long seenAt = in.readLong();
            return new XStreamSplit(splitId, newest, seenAt);
        }
    }
}
