package io.tidings.source.mastodon.split;

import org.apache.flink.annotation.Internal;

/**
 * The reader's mutable state of the split: the record emitter moves it after each status it
 * emitted, only ever forward, so a checkpoint holds exactly what went downstream.
 */
@Internal
public final class MastodonSplitState {
    private final String splitId;
    private final String startedAtId;
    private String lastStatusId;

    public MastodonSplitState(MastodonSplit split) {
        this.splitId = split.splitId();
        this.startedAtId = split.startedAtId();
        this.lastStatusId = split.lastStatusId();
    }

    /** A status with this id was emitted. */
    public void emitted(String statusId) {
        lastStatusId = StatusIds.max(lastStatusId, statusId);
    }

    public MastodonSplit toSplit() {
        return new MastodonSplit(splitId, lastStatusId, startedAtId);
    }
}
