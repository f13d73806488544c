package io.tidings.job.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM end a run cleanly instead of killing it: the first asks the job to
 * stop at a savepoint (everything read so far committed, a summary, exit 0); a second one while
 * that is under way ends the process at once, as an impatient person expects (exit 130). The JVM's
 * shutdown hooks cannot do this: by the time they run, the exit status is already 130 or 143.
 */
final class StopSignals {
    private StopSignals() {}

    static void install(Runnable stop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() == 1) {
                    System.err.println();
                    System.err.println("tidings: stopping (again to quit at once; --resume continues from where it stops)");
                    stop.run();
                } else {
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
            });
        }
    }
}
