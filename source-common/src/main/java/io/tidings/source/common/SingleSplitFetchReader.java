package io.tidings.source.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Superseded by {@link SingleSplitSourceReader} (flink-connector-base); removed once no source uses it.
 *
 * <p>Reads a source's one split: fetch loops ({@link FetchLoop}), each on its own thread, fill a
 * bounded queue; the task thread emits from it and checkpoints the split state, which the subclass
 * advances as it emits, so that a checkpoint holds exactly what went downstream. A failed loop fails
 * {@link #pollNext}. Readers that get no split stay idle.
 *
 * @param <T> what the source emits
 * @param <E> what the fetch loops queue
 * @param <SplitT> the split
 * @param <StateT> the reader's mutable state of the split
 */
@Internal
@SuppressWarnings("try") // close() is SourceReader's, declared to throw Exception
public abstract class SingleSplitFetchReader<T, E, SplitT extends SourceSplit, StateT> implements SourceReader<T, SplitT> {
    private static final Logger LOG = LoggerFactory.getLogger(SingleSplitFetchReader.class);
    public static final int QUEUE_CAPACITY = 10_000;

    protected final SourceReaderContext context;
    private final String sourceName;
    private final BlockingQueue<E> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Object lock = new Object();
    private final List<FetchLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private StateT splitState;

    /** @param sourceName e.g. {@code X}, in messages */
    protected SingleSplitFetchReader(SourceReaderContext context, String sourceName) {
        this.context = context;
        this.sourceName = sourceName;
    }

    /**
     * The reader's state of a split it was given; may add what the split lacks (e.g. when a fresh
     * subscription started), so that the first checkpoint already holds it.
     */
    protected abstract StateT newSplitState(SplitT split);

    /** The split as it stands, for a checkpoint. */
    protected abstract SplitT toSplit(StateT state);

    /**
     * Starts the fetch loops with {@link #startLoop}; each puts what it fetches into {@code sink}.
     *
     * @param assigned the split as it was assigned (fresh, or from a checkpoint)
     * @param state the reader's state of it, just made by {@link #newSplitState}; read it here, on the
     *     task thread, never from the fetch loops
     */
    protected abstract void startFetching(SplitT assigned, StateT state, FetchSink<E> sink);

    /** Emits one queued element and advances the split state accordingly. */
    protected abstract void emit(E element, ReaderOutput<T> output, StateT state);

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        E element = queue.poll();
        if (element == null) {
            Throwable failure = failure();
            if (failure != null) {
                throw new RuntimeException(sourceName + " source failed: " + failure.getMessage(), failure);
            }
            return InputStatus.NOTHING_AVAILABLE;
        }
        emit(element, output, splitState);
        return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            if (!queue.isEmpty() || failure() != null) {
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    /** The error that ended any fetch loop, or null. */
    private Throwable failure() {
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

    private void notifyAvailable() {
        CompletableFuture<Void> f;
        synchronized (lock) {
            f = available;
        }
        f.complete(null);
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
        return splitState == null ? List.of() : List.of(toSplit(splitState));
    }

    @Override
    public void addSplits(List<SplitT> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (splitState != null || splits.size() > 1) {
            throw new IllegalStateException("the " + sourceName + " source has exactly one split; got " + splits
                    + " while holding " + (splitState == null ? "none" : toSplit(splitState)));
        }
        SplitT split = splits.get(0);
        splitState = newSplitState(split);
        startFetching(split, splitState, element -> {
            queue.put(element);
            notifyAvailable();
        });
    }

    /** Runs {@code loop} on a daemon thread named {@code name}; its end wakes the reader (to see a failure). */
    protected final void startLoop(FetchLoop loop, String name) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                notifyAvailable();
            }
        }, name);
        thread.setDaemon(true);
        synchronized (loops) {
            loops.add(loop);
            threads.add(thread);
        }
        thread.start();
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() throws Exception {
        List<Thread> toJoin;
        synchronized (loops) {
            loops.forEach(FetchLoop::stop);
            toJoin = List.copyOf(threads);
        }
        toJoin.forEach(Thread::interrupt);
        for (Thread thread : toJoin) {
            thread.join(10_000);
            if (thread.isAlive()) {
                LOG.warn("{} fetch thread {} did not stop within 10 s", sourceName, thread.getName());
            }
        }
    }
}
