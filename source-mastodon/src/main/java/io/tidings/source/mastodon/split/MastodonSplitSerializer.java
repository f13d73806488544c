package io.tidings.source.mastodon.split;

import io.tidings.source.common.DataSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.annotation.Internal;

/** Version 1: split id, last status id, started-at id (UTF each; an empty string for none). */
@Internal
public final class MastodonSplitSerializer extends DataSerializer<MastodonSplit> {
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    public MastodonSplitSerializer() {
        super("MastodonSplit", CURRENT_VERSION);
    }

    @Override
    protected void write(MastodonSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeUTF(split.lastStatusId());
        out.writeUTF(split.startedAtId());
    }

    @Override
    protected MastodonSplit read(DataInputStream in, int version) throws IOException {
        return new MastodonSplit(in.readUTF(), in.readUTF(), in.readUTF());
    }
}
