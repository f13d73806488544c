package io.tidings.source.common;

import org.apache.flink.annotation.Internal;

/**
 * What a fetch loop hands the reader: a record to emit (or none: a bare move of the position) and
 * what emitting it changes in the split state. Each source says what the change means (a post id, a
 * cursor, a status and its edit); {@link FetchedElementEmitter} applies it after the record went
 * downstream, so that a checkpoint holds exactly what was emitted.
 *
 * @param <T> what the source emits
 * @param <S> the reader's mutable state of the split
 */
@Internal
public interface FetchedElement<T, S> {
    /** The record to emit, or null when the element only moves the split's position. */
    T record();

    /** Advances the split state; called once the record (if any) went downstream. */
    void applyTo(S state);
}
