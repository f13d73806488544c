package io.tidings.source.common;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * A fetch loop ended with an error (or could not start): thrown by {@link FetchLoopSplitReader#fetch}
 * on Flink's fetcher thread, found again by {@link SingleSplitSourceReader#pollNext} in the fetcher
 * manager's wrapping, and rethrown there with the source's name and the loop's own message.
 */
@Internal
public final class FetchLoopFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    FetchLoopFailedException(String sourceName, Throwable failure) {
        super(sourceName + " source failed: " + failure.getMessage(), failure);
    }
}
