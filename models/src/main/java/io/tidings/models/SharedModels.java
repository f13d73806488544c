package io.tidings.models;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@link TweetModel} per JVM for each (location, threads), shared by every Flink task slot and
 * operator instance in that JVM, with reference counting.
 *
 * <p>Why share rather than load per slot: a Flink TaskManager runs several slots as threads of one
 * JVM. An ONNX Runtime session is thread-safe, so one session serves them all; its weights, arena
 * and tokenizer would otherwise be held once per slot (multiplying memory by the slot count) and
 * loaded once per slot (multiplying start-up time). Concurrency is bounded by the session's
 * intra-op threads, which is the knob that matches the machine's cores, not the slot count.
 *
 * <p>Each operator calls {@link #acquire} in {@code open()} and {@link Lease#close()} in
 * {@code close()}; the model is loaded by the first acquire and closed when the last lease is
 * released, so a restarted job in the same TaskManager (or a test) loads it afresh instead of
 * leaking native memory. Holding a lease guarantees the model stays open.
 */
public final class SharedModels {

    private static final Map<Key, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** A reference to a shared model; close it exactly once when done. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final TweetModel model;
        private boolean closed;

        private Lease(Key key, TweetModel model) {
            this.key = key;
            this.model = model;
        }

        public TweetModel model() {
            if (closed) {
                throw new IllegalStateException("Lease on " + key.location + " already released");
            }
            return model;
        }

        /** Releases this reference; the last one closes the model. Idempotent. */
        @Override
        public void close() {
            synchronized (MODELS) {
                if (closed) {
                    return;
                }
                closed = true;
                release(key);
            }
        }
    }

    /**
     * Returns a lease on the model at {@code location} loaded with {@code intraOpThreads} threads,
     * loading it if this JVM holds none.
     *
     * @param batchSize used when this call loads the model; an already loaded model keeps its own
     */
    public static Lease acquire(ModelLocation location, int intraOpThreads, int batchSize) {
        Key key = new Key(location, intraOpThreads);
        synchronized (MODELS) {
            Entry entry = MODELS.get(key);
            if (entry == null) {
                // Loading under the lock: concurrent first acquirers wait instead of loading twice.
                entry = new Entry(TweetModel.load(location, intraOpThreads, batchSize));
                MODELS.put(key, entry);
            }
            entry.references++;
            return new Lease(key, entry.model);
        }
    }

    /** {@link #acquire(ModelLocation, int, int)} with batches of {@link TweetModel#DEFAULT_BATCH_SIZE}. */
    public static Lease acquire(ModelLocation location, int intraOpThreads) {
        return acquire(location, intraOpThreads, TweetModel.DEFAULT_BATCH_SIZE);
    }

    /** How many leases are open on the model for (location, threads); 0 when none is loaded. */
    public static int references(ModelLocation location, int intraOpThreads) {
        synchronized (MODELS) {
            Entry entry = MODELS.get(new Key(location, intraOpThreads));
            return entry == null ? 0 : entry.references;
        }
    }

    private static void release(Key key) {
        Entry entry = MODELS.get(key);
        if (entry == null) {
            return;
        }
        if (--entry.references == 0) {
            MODELS.remove(key);
            entry.model.close();
        }
    }

    private static final class Entry {
        final TweetModel model;
        int references;

        Entry(TweetModel model) {
            this.model = model;
        }
    }

    private static final class Key {
        final ModelLocation location;
        final int threads;

        Key(ModelLocation location, int threads) {
            this.location = location;
            this.threads = threads;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).location.equals(location) && ((Key) o).threads == threads;
        }

        @Override
        public int hashCode() {
            return Objects.hash(location, threads);
        }
    }
}
