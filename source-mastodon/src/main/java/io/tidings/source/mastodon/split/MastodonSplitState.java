package io.tidings.source.mastodon.split;

import org.apache.flink.annotation.Internal;

/**
 * The reader's mutable state of the split: the record emitter moves it after each status it
 * emitted, only ever forward, and keeps the statuses emitted lately ({@link RecentStatuses}), so a
 * checkpoint holds exactly what went downstream.
 */
@Internal
public final class MastodonSplitState {
    private final String splitId;
    private final String startedAtId;
    private final RecentStatuses recent;
    private String lastStatusId;

    public MastodonSplitState(MastodonSplit split) {
        this.splitId = split.splitId();
        this.startedAtId = split.startedAtId();
        this.lastStatusId = split.lastStatusId();
        this.recent = new RecentStatuses(split.recentStatuses());
    }

    /** A new status with this id was emitted: the position moves to it (forward only). */
    public void emitted(String statusId) {
        lastStatusId = StatusIds.max(lastStatusId, statusId);
    }

    /** A version of a status (new or edited; {@code editedAt} "" for unedited) was emitted: to recheck later. */
    public void emittedVersion(String statusId, String editedAt) {
        recent.emitted(statusId, editedAt);
    }

    /** A deletion of a status was emitted: nothing left to recheck. */
    public void deleted(String statusId) {
        recent.deleted(statusId);
    }

    public MastodonSplit toSplit() {
        return new MastodonSplit(splitId, lastStatusId, startedAtId, recent.toMap());
    }
}
