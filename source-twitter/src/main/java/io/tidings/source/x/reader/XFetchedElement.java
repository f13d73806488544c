package io.tidings.source.x.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchedElement;
import io.tidings.source.x.split.XStreamSplitState;
import org.apache.flink.annotation.Internal;

/**
 * What the fetch thread hands the reader: a record, and whether emitting it advances the split's
 * position to {@code postId}; or, with no record, a bare position advance (the end of a complete
 * gap fill or poll). Emitting it ({@link io.tidings.source.common.FetchedElementEmitter}) advances the
 * split state after the record went downstream, so the checkpointed position is exactly what was
 * emitted.
 */
@Internal
public final class XFetchedElement implements FetchedElement<RawRecord, XStreamSplitState> {
    private final RawRecord record;
    private final String postId;
    private final boolean advancesPosition;

    private XFetchedElement(RawRecord record, String postId, boolean advancesPosition) {
        this.record = record;
        this.postId = postId;
        this.advancesPosition = advancesPosition;
    }

    /** A record that moves the position to its post id once emitted (stream posts). */
    public static XFetchedElement advancing(RawRecord record, String postId) {
        return new XFetchedElement(record, postId, postId != null);
    }

    /** A record that leaves the position alone (search results, lines without an id). */
    public static XFetchedElement record(RawRecord record, String postId) {
        return new XFetchedElement(record, postId, false);
    }

    /** Moves the position to {@code postId} with no record. */
    public static XFetchedElement positionAdvance(String postId) {
        return new XFetchedElement(null, postId, true);
    }

    @Override
    public RawRecord record() {
        return record;
    }

    public String postId() {
        return postId;
    }

    public boolean advancesPosition() {
        return advancesPosition;
    }

    /** Moves the position to the post id (when it advances), seen when the record was received. */
    @Override
    public void applyTo(XStreamSplitState state) {
        if (advancesPosition) {
            long seenAt = record == null ? state.newestSeenAt() : record.receivedAt;
            state.advance(postId, seenAt);
        }
    }

    @Override
    public String toString() {
        return record == null ? "advance to " + postId : String.valueOf(record);
    }
}
