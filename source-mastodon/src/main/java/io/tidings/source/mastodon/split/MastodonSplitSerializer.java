package io.tidings.source.mastodon.split;

import io.tidings.source.common.DataSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * Version 1: split id, last status id, started-at id (UTF each; an empty string for none).
 * Version 2 adds the statuses emitted lately ({@link RecentStatuses}): their count (int), then each
 * status id and the {@code edited_at} emitted (UTF each, "" for none), in the order emitted. Version 1
 * bytes read as a split without recent statuses (a restore of them rechecks nothing).
 */
@Internal
public final class MastodonSplitSerializer extends DataSerializer<MastodonSplit> {
    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    public MastodonSplitSerializer() {
        super("MastodonSplit", CURRENT_VERSION);
    }

    @Override
    protected void write(MastodonSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeUTF(split.lastStatusId());
        out.writeUTF(split.startedAtId());
        out.writeInt(split.recentStatuses().size());
        for (Map.Entry<String, String> status : split.recentStatuses().entrySet()) {
            out.writeUTF(status.getKey());
            out.writeUTF(status.getValue());
        }
    }

    @Override
    protected MastodonSplit read(DataInputStream in, int version) throws IOException {
        String splitId = in.readUTF();
        String lastStatusId = in.readUTF();
        String startedAtId = in.readUTF();
        Map<String, String> recent = new LinkedHashMap<>();
        if (version >= VERSION_2) {
            int n = in.readInt();
            if (n < 0 || n > 10 * RecentStatuses.MAX_IDS) {
                throw new IOException("MastodonSplit: " + n + " recent statuses is not a count this code writes");
            }
            for (int i = 0; i < n; i++) {
                recent.put(in.readUTF(), in.readUTF());
            }
        }
        return new MastodonSplit(splitId, lastStatusId, startedAtId, recent);
    }
}
