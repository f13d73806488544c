package io.tidings.source.x.split;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.common.DataSerializer;
import org.apache.flink.annotation.Internal;

/**
 * Version 1: split id (UTF), has-position flag, newest post id (UTF, when flagged), newest seen at
 * (long).
 */
@Internal
public final class XStreamSplitSerializer extends DataSerializer<XStreamSplit> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public XStreamSplitSerializer() {
        super("XStreamSplit", CURRENT_VERSION);
    }

    @Override
    protected void write(XStreamSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeBoolean(split.newestPostId().isPresent());
        if (split.newestPostId().isPresent()) {
            out.writeUTF(split.newestPostId().get());
        }
        out.writeLong(split.newestSeenAt());
    }

    @Override
    protected XStreamSplit read(DataInputStream in) throws IOException {
        String splitId = in.readUTF();
        String newest = in.readBoolean() ? in.readUTF() : null;
        long seenAt = in.readLong();
        return new XStreamSplit(splitId, newest, seenAt);
    }
}
