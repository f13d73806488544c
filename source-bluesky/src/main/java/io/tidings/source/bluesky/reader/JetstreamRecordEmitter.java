package io.tidings.source.bluesky.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.split.JetstreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;

/**
 * Emits one fetched element and then advances the split state, so the checkpointed cursor and the
 * identities of the events emitted lately are always exactly what was emitted (or processed and
 * deliberately not emitted).
 */
@Internal
public final class JetstreamRecordEmitter {
    public void emit(JetstreamFetchedElement element, ReaderOutput<RawRecord> output, JetstreamSplitState state) {
        if (element.record() != null) {
            output.collect(element.record());
        }
        if (element.eventId() != null) {
            state.emitted(element.eventId(), element.timeUs());
        }
        if (element.timeUs() != JetstreamFetchedElement.NO_TIME) {
            state.advance(element.timeUs());
        }
    }
}
