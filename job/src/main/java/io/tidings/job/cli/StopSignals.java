package io.tidings.job.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM end a run cleanly instead of killing it: the first asks the job to
 * stop at a savepoint (everything read so far committed or kept in the savepoint, a summary, exit
 * 0); a second one while that is under way ends the process at once, as an impatient person
 * expects (exit 130). The JVM's shutdown hooks cannot do this: by the time they run, the exit
 * status is already 130 or 143. Installed as a command starts, before it has a job to stop: a
 * signal that comes first is kept and passed on when the job is {@linkplain #onStop attached}.
 */
final class StopSignals {
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicReference<Runnable> stop = new AtomicReference<>();

    private StopSignals() {}

    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> signals.received());
        }
        return signals;
    }

    /** What a stop does; run at once when a signal came before. */
    void onStop(Runnable action) {
        stop.set(action);
        if (received.get() > 0) {
            action.run();
        }
    }

    private void received() {
        if (received.incrementAndGet() == 1) {
            System.err.println();
            System.err.println("tidings: stopping (again to quit at once; --resume continues from where it stops)");
            Runnable action = stop.get();
            if (action != null) {
                action.run();
            }
        } else {
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }
    }
}
