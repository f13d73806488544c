package io.tidings.source.common.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import io.tidings.source.common.FetchLoop;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.FetchedElement;

/**
 * Runs a source's fetch loop on its own thread (or this one) against a fake server, collecting what
 * it fetches: what the three sources' fetcher tests share. A source's harness extends it with its
 * set-up alone (the builder, the split, the loop), handing the loop {@link #sink()}.
 *
 * @param <T> the records the loop fetches
 * @param <E> what it queues
 * @param <H> the harness itself, for chaining
 */
public abstract class FetcherHarness<T, E extends FetchedElement<T, ?>, H extends FetcherHarness<T, E, H>>
        implements AutoCloseable {
    /** How long the waits below wait before they fail. */
    private static final long TIMEOUT_MS = 20_000;

    /** What the loop fetched, in order. */
    public final List<E> out = Collections.synchronizedList(new ArrayList<>());
    private Thread thread;

    /** The loop under test; made by the subclass with {@link #sink()}. */
    protected abstract FetchLoop loop();

    /** Where the loop puts what it fetches. */
    protected final FetchSink<E> sink() {
        return out::add;
    }

    @SuppressWarnings("unchecked")
    private H self() {
        return (H) this;
    }

    /** Runs the loop on a thread of its own. */
    public H start() {
        thread = new Thread(loop(), "test-fetcher");
        thread.setDaemon(true);
        thread.start();
        return self();
    }

    /** Runs the loop on this thread until it ends (a fatal error, or the recording clock's last sleep). */
    public void runToEnd() {
        loop().run();
        Thread.interrupted();
    }

    /** The records fetched (not the bare position moves). */
    public List<T> records() {
        synchronized (out) {
            return out.stream().map(FetchedElement::record).filter(Objects::nonNull).toList();
        }
    }

    /** Everything fetched: records and bare position moves. */
    public List<E> elements() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    /** Waits until {@code n} records came; fails after 20 s with what came and the loop's failure. */
    public H awaitRecords(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (records().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " records, got " + records() + "; failure " + loop().failure());
            }
            Thread.sleep(10);
        }
        return self();
    }

    /** Waits until {@code n} elements (records and position moves) came. */
    public H awaitElements(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (elements().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " elements, got " + elements());
            }
            Thread.sleep(10);
        }
        return self();
    }

    /** Waits until the loop ended with a failure, and returns it. */
    public Throwable awaitFailure() throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (loop().failure() == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the fetcher did not fail; records " + records());
            }
            Thread.sleep(10);
        }
        return loop().failure();
    }

    /** Waits (20 s at most) for the loop's thread to end by itself. */
    public void join() throws InterruptedException {
        thread.join(TIMEOUT_MS);
    }

    /** Stops the loop, interrupts its thread and waits for it (5 s at most). */
    @Override
    public void close() {
        loop().stop();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
