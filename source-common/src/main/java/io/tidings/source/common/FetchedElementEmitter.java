package io.tidings.source.common;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * The one record emitter of the sources: emits the element's record, then advances the split state
 * by it, so the position to checkpoint is always exactly what was emitted.
 */
@Internal
public final class FetchedElementEmitter<T, S> implements RecordEmitter<FetchedElement<T, S>, T, S> {
    @Override
    public void emitRecord(FetchedElement<T, S> element, SourceOutput<T> output, S state) {
        T record = element.record();
        if (record != null) {
            output.collect(record);
        }
        element.applyTo(state);
    }
}
