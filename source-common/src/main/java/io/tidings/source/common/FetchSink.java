package io.tidings.source.common;

import org.apache.flink.annotation.Internal;

/** Where a fetch loop puts what it fetched; may block (back-pressure). */
@Internal
@FunctionalInterface
public interface FetchSink<E> {
    void accept(E element) throws InterruptedException;
}
