package io.tidings.source.bluesky.split;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tidings.source.common.DataSerializer;
import org.apache.flink.annotation.Internal;

/**
 * Version 2: split id (UTF), last time_us (long, -1 = none), subscribed at (long, unix microseconds,
 * -1 = not started), the number of recent events (int), then for each in the order emitted its did,
 * collection, rkey, rev (UTF) and time_us (long). Version 1 is the first two fields: it reads as a
 * split whose subscription has not started and that remembers no events.
 */
@Internal
public final class JetstreamSplitSerializer extends DataSerializer<JetstreamSplit> {
    public static final int VERSION_1 = 1;
    /** Adds when the subscription started and the identities of the events emitted lately. */
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    public JetstreamSplitSerializer() {
        super("JetstreamSplit", CURRENT_VERSION);
    }

    @Override
    protected void write(JetstreamSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeLong(split.lastTimeUs());
        out.writeLong(split.subscribedAtUs());
        out.writeInt(split.recentEvents().size());
        for (Map.Entry<JetstreamEventId, Long> event : split.recentEvents().entrySet()) {
            JetstreamEventId id = event.getKey();
            out.writeUTF(id.did());
            out.writeUTF(id.collection());
            out.writeUTF(id.rkey());
            out.writeUTF(id.rev());
            out.writeLong(event.getValue());
        }
    }

    @Override
    protected JetstreamSplit read(DataInputStream in, int version) throws IOException {
        String splitId = in.readUTF();
        long lastTimeUs = in.readLong();
        if (version == VERSION_1) {
            return new JetstreamSplit(splitId, lastTimeUs);
        }
        long subscribedAtUs = in.readLong();
        int count = in.readInt();
        Map<JetstreamEventId, Long> recent = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            JetstreamEventId id = new JetstreamEventId(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            recent.put(id, in.readLong());
        }
        return new JetstreamSplit(splitId, lastTimeUs, subscribedAtUs, recent);
    }
}
