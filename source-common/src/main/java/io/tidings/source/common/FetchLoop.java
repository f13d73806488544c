package io.tidings.source.common;

import org.apache.flink.annotation.Internal;

/** A loop that fetches from a platform on a thread of its own until stopped or failed. */
@Internal
public interface FetchLoop extends Runnable {
    /** The error that ended the loop, or null. */
    Throwable failure();

    /** Stops the loop and drops its connection; the reader interrupts the thread too. */
    void stop();
}
