package io.tidings.source.x.split;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.common.DataSerializer;
import org.apache.flink.annotation.Internal;

/**
 * Version 2: split id (UTF), has-position flag, newest post id (UTF, when flagged), newest seen at
 * (long), subscribed at (long, -1 = not started). Version 1 is the same without subscribed at; it
 * reads as a split whose subscription has not started, so the reader that gets it starts it anew.
 */
@Internal
public final class XStreamSplitSerializer extends DataSerializer<XStreamSplit> {
    public static final int VERSION_1 = 1;
    /** Adds when the subscription started, so that a restore before the first post fills from then. */
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

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
        out.writeLong(split.subscribedAt());
    }

    @Override
    protected XStreamSplit read(DataInputStream in, int version) throws IOException {
        String splitId = in.readUTF();
        String newest = in.readBoolean() ? in.readUTF() : null;
        long seenAt = in.readLong();
        long subscribedAt = version >= VERSION_2 ? in.readLong() : XStreamSplit.NO_TIME;
        return new XStreamSplit(splitId, newest, seenAt, subscribedAt);
    }
}
