package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import org.apache.flink.annotation.Internal;

/**
 * What the fetch thread hands the reader: a record to emit and, for a new status ({@code update}
 * event or a status from gap fill), its id, which emitting it moves the split's position to. Edits,
 * deletions and unreadable messages leave the position alone.
 */
@Internal
public record MastodonFetchedElement(RawRecord record, String newStatusId) {
    /** A new status: emitting it moves the position to its id. */
    public static MastodonFetchedElement status(RawRecord record, String statusId) {
        return new MastodonFetchedElement(record, statusId);
    }

    /** A record that does not move the position (an edit, a deletion, an unreadable message). */
    public static MastodonFetchedElement other(RawRecord record) {
        return new MastodonFetchedElement(record, null);
    }
}
