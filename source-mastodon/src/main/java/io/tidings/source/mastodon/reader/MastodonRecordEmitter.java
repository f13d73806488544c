package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.mastodon.split.MastodonSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;

/**
 * Emits one fetched element and then advances the split state, so that the checkpointed position is
 * always the newest status that went downstream, and the statuses to recheck after a restore are
 * those that went downstream.
 */
@Internal
public final class MastodonRecordEmitter {
    public void emit(MastodonFetchedElement element, ReaderOutput<RawRecord> output, MastodonSplitState state) {
        output.collect(element.record());
        if (element.newStatusId() != null) {
            state.emitted(element.newStatusId());
        }
        if (element.statusId() != null) {
            if (element.deleted()) {
                state.deleted(element.statusId());
            } else {
                state.emittedVersion(element.statusId(), element.editedAt());
            }
        }
    }
}
