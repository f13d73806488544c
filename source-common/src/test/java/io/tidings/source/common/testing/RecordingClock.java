package io.tidings.source.common.testing;

import java.util.ArrayList;
import java.util.List;
import io.tidings.source.common.SourceClock;

/**
 * A clock that never sleeps: each wait is recorded and moves "now" forward. After {@code maxSleeps}
 * waits it throws {@link InterruptedException}, which ends a fetch loop.
 */
public final class RecordingClock implements SourceClock {
    private static final long serialVersionUID = 1L;

    private final List<Long> sleeps = new ArrayList<>();
    private final int maxSleeps;
    private long now;
    /** Runs at each wait before "now" moves: what a test wants to see while the source waits (its gauges). */
    private transient Runnable duringEachSleep = () -> {};

    public RecordingClock(long startMillis, int maxSleeps) {
        this.now = startMillis;
        this.maxSleeps = maxSleeps;
    }

    @Override
    public synchronized long nowMillis() {
        return now;
    }

    /** Runs {@code action} at each wait, before the wait is recorded and "now" moves. */
    public RecordingClock duringEachSleep(Runnable action) {
        this.duringEachSleep = action;
        return this;
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
        duringEachSleep.run();
        synchronized (this) {
            sleeps.add(millis);
            now += millis;
            if (sleeps.size() < maxSleeps) {
                return;
            }
        }
        throw new InterruptedException("RecordingClock: " + maxSleeps + " sleeps reached");
    }

    public synchronized List<Long> sleeps() {
        return new ArrayList<>(sleeps);
    }
}
