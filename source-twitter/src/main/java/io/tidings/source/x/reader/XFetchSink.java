package io.tidings.source.x.reader;

import org.apache.flink.annotation.Internal;

/** Where the fetch thread puts what it fetched; may block (back-pressure). */
@Internal
@FunctionalInterface
public interface XFetchSink {
    void accept(XFetchedElement element) throws InterruptedException;
}
