package io.tidings.source.bluesky.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.split.JetstreamEventId;
import io.tidings.source.bluesky.split.JetstreamSplitState;
import io.tidings.source.common.FetchedElement;
import org.apache.flink.annotation.Internal;

/**
 * What the fetch thread hands the reader: a record, the identity of its event (for the split to
 * remember) and the {@code time_us} that emitting it moves the split's cursor to; or, with no record, a
 * bare cursor move (an event that was processed but not emitted: filtered out, identity, account); or
 * a record that leaves the cursor alone (a message that is not a readable event). Emitting it
 * advances the split state after the record went downstream, so the checkpointed cursor and the
 * identities of the events emitted lately are always exactly what was emitted (or processed and
 * deliberately not emitted).
 */
@Internal
public final class JetstreamFetchedElement implements FetchedElement<RawRecord, JetstreamSplitState> {
    /** No cursor move. */
    public static final long NO_TIME = -1L;

    private final RawRecord record;
    private final JetstreamEventId eventId;
    private final long timeUs;

    private JetstreamFetchedElement(RawRecord record, JetstreamEventId eventId, long timeUs) {
        this.record = record;
        this.eventId = eventId;
        this.timeUs = timeUs;
    }

    /** The record of event {@code eventId}, which moves the cursor to {@code timeUs} once emitted. */
    public static JetstreamFetchedElement event(RawRecord record, JetstreamEventId eventId, long timeUs) {
        return new JetstreamFetchedElement(record, eventId, timeUs);
    }

    /** A record without a time (unreadable message): emitted, the cursor stays. */
    public static JetstreamFetchedElement unreadable(RawRecord record) {
        return new JetstreamFetchedElement(record, null, NO_TIME);
    }

    /** Moves the cursor to {@code timeUs} with no record. */
    public static JetstreamFetchedElement skipped(long timeUs) {
        return new JetstreamFetchedElement(null, null, timeUs);
    }

    /** The record to emit, or null. */
    @Override
    public RawRecord record() {
        return record;
    }

    /** The identity of the emitted event, or null (skipped, unreadable). */
    public JetstreamEventId eventId() {
        return eventId;
    }

    /** The {@code time_us} to move the cursor to, or {@link #NO_TIME}. */
    public long timeUs() {
        return timeUs;
    }

    @Override
    public void applyTo(JetstreamSplitState state) {
        if (eventId != null) {
            state.emitted(eventId, timeUs);
        }
        if (timeUs != NO_TIME) {
            state.advance(timeUs);
        }
    }

    @Override
    public String toString() {
        return record == null ? "skip to time_us " + timeUs : String.valueOf(record);
    }
}
