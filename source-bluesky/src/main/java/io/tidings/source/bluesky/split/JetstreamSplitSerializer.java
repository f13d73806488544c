package io.tidings.source.bluesky.split;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.tidings.source.common.DataSerializer;
import org.apache.flink.annotation.Internal;

/** Version 1: split id (UTF), last time_us (long, -1 = none). */
@Internal
public final class JetstreamSplitSerializer extends DataSerializer<JetstreamSplit> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public JetstreamSplitSerializer() {
        super("JetstreamSplit", CURRENT_VERSION);
    }

    @Override
    protected void write(JetstreamSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeLong(split.lastTimeUs());
    }

    @Override
    protected JetstreamSplit read(DataInputStream in, int version) throws IOException {
        return new JetstreamSplit(in.readUTF(), in.readLong());
    }
}
