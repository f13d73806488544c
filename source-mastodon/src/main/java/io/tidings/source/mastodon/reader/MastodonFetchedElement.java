package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchedElement;
import io.tidings.source.mastodon.split.MastodonSplitState;
import org.apache.flink.annotation.Internal;

/**
 * What the fetch thread hands the reader: a record to emit and what emitting it changes in the split.
 * A new status ({@code update} event or a status from gap fill) moves the position to its id ({@code
 * newStatusId}); a new status or an edit adds the version ({@code statusId}, {@code editedAt}, "" when
 * unedited) to the statuses to recheck; a deletion ({@code deleted}) takes the status out of them.
 * Unreadable messages change nothing. Emitting it advances the split state after the record went
 * downstream, so the checkpointed position is always the newest status that went downstream, and the
 * statuses to recheck after a restore are those that went downstream.
 */
@Internal
public record MastodonFetchedElement(RawRecord record, String newStatusId, String statusId, String editedAt,
        boolean deleted) implements FetchedElement<RawRecord, MastodonSplitState> {
    /** A new status: emitting it moves the position to its id. */
    public static MastodonFetchedElement status(RawRecord record, String statusId, String editedAt) {
        return new MastodonFetchedElement(record, statusId, statusId, editedAt, false);
    }

    /** An edit: the position stays, the version is remembered. */
    public static MastodonFetchedElement edit(RawRecord record, String statusId, String editedAt) {
        return new MastodonFetchedElement(record, null, statusId, editedAt, false);
    }

    /** A deletion (from the stream, or a recheck that found the status gone). */
    public static MastodonFetchedElement deletion(RawRecord record, String statusId) {
        return new MastodonFetchedElement(record, null, statusId, null, true);
    }

    /** A record that changes nothing in the split (an unreadable message, a timeline entry without an id). */
    public static MastodonFetchedElement other(RawRecord record) {
        return new MastodonFetchedElement(record, null, null, null, false);
    }

    @Override
    public void applyTo(MastodonSplitState state) {
        if (newStatusId != null) {
            state.emitted(newStatusId);
        }
        if (statusId != null) {
            if (deleted) {
                state.deleted(statusId);
            } else {
                state.emittedVersion(statusId, editedAt);
            }
        }
    }
}
