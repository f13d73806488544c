package io.tidings.source.x.source;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The source's notion of time: "now" and every wait (back-off, rate-limit resets, poll intervals)
 * go through this, so tests assert the waits without sleeping. The stall timeout alone is measured
 * on the real clock of the blocked read (keep it short in tests instead).
 */
@PublicEvolving
public interface XClock extends Serializable {
    /** Epoch milliseconds. */
    long nowMillis();

    /** Waits {@code millis}; must be interruptible (the reader interrupts it on close). */
    void sleep(long millis) throws InterruptedException;

    /** The wall clock and {@link Thread#sleep}. */
    XClock SYSTEM = new SystemClock();

    /** The default clock; a named class so that it serializes. */
    final class SystemClock implements XClock {
        private static final long serialVersionUID = 1L;

        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }
    }
}
