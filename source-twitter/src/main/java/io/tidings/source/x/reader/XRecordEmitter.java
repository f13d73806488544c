package io.tidings.source.x.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.x.split.XStreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;

/**
 * Emits one fetched element and then advances the split state, so the checkpointed position is
 * always exactly what was emitted.
 */
@Internal
public final class XRecordEmitter {
    public void emit(XFetchedElement element, ReaderOutput<RawRecord> output, XStreamSplitState state) {
        if (element.record() != null) {
            output.collect(element.record());
        }
        if (element.advancesPosition()) {
            long seenAt = element.record() == null ? state.newestSeenAt() : element.record().receivedAt;
            state.advance(element.postId(), seenAt);
        }
    }
}
