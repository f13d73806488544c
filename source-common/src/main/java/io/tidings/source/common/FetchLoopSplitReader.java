package io.tidings.source.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split reader of a source with one split, run by Flink's split fetcher thread: when the split
 * comes it starts the source's {@link FetchLoop}s, each on a thread of its own, and {@link #fetch}
 * hands what they queue to Flink's element queue in batches.
 *
 * <p>Why the loops keep threads of their own rather than being {@code fetch()} itself: a platform
 * connection is push-shaped (a WebSocket read with callbacks, an HTTP stream of lines, back-off
 * sleeps, X's four compliance partitions beside its stream) and one connection yields any number of
 * records; {@code fetch()} must return a batch and answer {@link #wakeUp} at once. The bounded queue
 * between them (10,000) is the hand-over; a full queue blocks the loops (back-pressure), as does
 * Flink's full element queue this reader feeds. The first failure of any loop fails {@code fetch()}
 * once what the loops queued before it was handed over.
 */
@Internal
public final class FetchLoopSplitReader<E, SplitT extends SourceSplit> implements SplitReader<E, SplitT> {
    private static final Logger LOG = LoggerFactory.getLogger(FetchLoopSplitReader.class);
    public static final int QUEUE_CAPACITY = 10_000;
    /** The most elements one {@code fetch()} hands over. */
    static final int MAX_BATCH = 1_000;
    /** How long {@code fetch()} waits for an element before it looks for a failure again. */
    private static final long POLL_MS = 100;

    /** Starts a source's fetch loops for its one split. */
    @FunctionalInterface
    public interface LoopsStarter<E, SplitT> {
        /**
         * @param split the split as the reader checkpoints it from now on (a fresh split stamped with
         *     when its subscription started)
         * @param loops where to start each loop; each puts what it fetches into {@link Loops#sink()}
         */
        void start(SplitT split, Loops<E> loops);
    }

    /** Starts loops on threads of their own. */
    public interface Loops<E> {
        FetchSink<E> sink();

        /** Runs {@code loop} on a daemon thread named {@code threadName}. */
        void start(FetchLoop loop, String threadName);
    }

    private final String sourceName;
    private final LoopsStarter<E, SplitT> starter;
    private final BlockingQueue<E> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final List<FetchLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean wokenUp;
    private volatile Throwable startFailure;
    private String splitId;

    public FetchLoopSplitReader(String sourceName, LoopsStarter<E, SplitT> starter) {
        this.sourceName = sourceName;
        this.starter = starter;
    }

    @Override
    public RecordsWithSplitIds<E> fetch() throws FetchLoopFailedException {
        List<E> batch = new ArrayList<>();
        try {
            while (batch.isEmpty() && !wokenUp) {
                E first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                } else {
                    Throwable failure = failure();
                    if (failure != null) {
                        throw new FetchLoopFailedException(sourceName, failure);
                    }
                }
            }
        } catch (InterruptedException e) {
            // Flink's fetcher is shutting down: hand over what there is, if anything.
            Thread.currentThread().interrupt();
        }
        wokenUp = false;
        if (batch.isEmpty()) {
            return new RecordsBySplits<>(Map.of(), Set.of());
        }
        return new RecordsBySplits<>(Map.of(splitId, batch), Set.of());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SplitT> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(change.getClass().getSimpleName() + " is not supported by the "
                    + sourceName + " source");
        }
        for (SplitT split : change.splits()) {
            if (splitId != null) {
                throw new IllegalStateException("the " + sourceName + " source has exactly one split; got " + split
                        + " while holding " + splitId);
            }
            splitId = split.splitId();
            try {
                starter.start(split, new Loops<>() {
                    @Override
                    public FetchSink<E> sink() {
                        return queue::put;
                    }

                    @Override
                    public void start(FetchLoop loop, String threadName) {
                        startLoop(loop, threadName);
                    }
                });
            } catch (RuntimeException e) {
                // A loop that cannot start (no token, a bad split) fails the reader as a failed loop
                // does: with the source's name, through pollNext.
                startFailure = e;
            }
        }
    }

    private void startLoop(FetchLoop loop, String name) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        synchronized (loops) {
            loops.add(loop);
            threads.add(thread);
        }
        thread.start();
    }

    /** The error that ended any fetch loop (or kept the loops from starting), or null. */
    private Throwable failure() {
        if (startFailure != null) {
            return startFailure;
        }
        synchronized (loops) {
            for (FetchLoop loop : loops) {
                Throwable failure = loop.failure();
                if (failure != null) {
                    return failure;
                }
            }
        }
        return null;
    }

    @Override
    public void wakeUp() {
        wokenUp = true;
    }

    /** Stops every loop, interrupts and joins its thread (10 s each at most). */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (loops) {
            loops.forEach(FetchLoop::stop);
            toJoin = List.copyOf(threads);
        }
        toJoin.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread thread : toJoin) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.isAlive() && System.nanoTime() < deadline) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    // Flink's fetcher manager interrupts its thread on close: still wait for the loops.
                    interrupted = true;
                }
            }
            if (thread.isAlive()) {
                LOG.warn("{} fetch thread {} did not stop within 10 s", sourceName, thread.getName());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
