package io.tidings.source.common;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * "Now" and waiting, for a source's reader. Every back-off wait and every timestamp of a source goes
 * through this, so tests assert the waits without sleeping. The stall timeout alone is measured on
 * the real clock of the blocked read (keep it short in tests instead).
 */
@PublicEvolving
public interface SourceClock extends Serializable {
    /** Epoch milliseconds. */
    long nowMillis();

    /** Waits {@code millis}; must be interruptible (the reader interrupts it on close). */
    void sleep(long millis) throws InterruptedException;

    /** The wall clock and {@link Thread#sleep}. */
    SourceClock SYSTEM = new SystemClock();

    /** The default clock; a named class so that it serializes. */
    final class SystemClock implements SourceClock {
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
