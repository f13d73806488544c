package io.tidings.source.bluesky.reader;

import org.apache.flink.annotation.Internal;

/** Where the fetch thread puts what it fetched; may block (back-pressure). */
@Internal
@FunctionalInterface
public interface JetstreamFetchSink {
    void accept(JetstreamFetchedElement element) throws InterruptedException;
}
