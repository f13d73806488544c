package io.tidings.source.bluesky.reader;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one Jetstream split: a fetch thread ({@link JetstreamFetcher}) fills a bounded queue, the task
 * thread emits from it through {@link JetstreamRecordEmitter} and checkpoints the split state. Readers that
 * get no split stay idle.
 */
@Internal
@SuppressWarnings("try") // close() is SourceReader's, declared to throw Exception
public final class JetstreamSourceReader implements SourceReader<RawRecord, JetstreamSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(JetstreamSourceReader.class);
    static final int QUEUE_CAPACITY = 10_000;

    private final JetstreamSourceConfig config;
    private final SourceReaderContext context;
    private final JetstreamReaderMetrics metrics = new JetstreamReaderMetrics();
    private final JetstreamRecordEmitter emitter = new JetstreamRecordEmitter();
    private final BlockingQueue<JetstreamFetchedElement> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();

    private JetstreamSplitState splitState;
    private JetstreamFetcher fetcher;
    private Thread fetchThread;

    public JetstreamSourceReader(JetstreamSourceConfig config, SourceReaderContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) throws Exception {
        JetstreamFetchedElement element = queue.poll();
        if (element == null) {
            Throwable failure = fetcher == null ? null : fetcher.failure();
            if (failure != null) {
                throw new RuntimeException("Jetstream source failed: " + failure.getMessage(), failure);
            }
            return InputStatus.NOTHING_AVAILABLE;
        }
        emitter.emit(element, output, splitState);
        return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            if (!queue.isEmpty() || (fetcher != null && fetcher.failure() != null)) {
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    private void notifyAvailable() {
        CompletableFuture<Void> f;
        synchronized (lock) {
            f = available;
        }
        f.complete(null);
    }

    @Override
    public List<JetstreamSplit> snapshotState(long checkpointId) {
        return splitState == null ? List.of() : List.of(splitState.toSplit());
    }

    @Override
    public void addSplits(List<JetstreamSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (splitState != null || splits.size() > 1) {
            throw new IllegalStateException("the Jetstream source has exactly one split; got " + splits + " while holding "
                    + (splitState == null ? "none" : splitState.toSplit()));
        }
        JetstreamSplit split = splits.get(0);
        splitState = new JetstreamSplitState(split);
        LOG.info("Jetstream source reader {} starts split {}{}", context.getIndexOfSubtask(), split,
                split.cursor().isPresent() ? "" : " (no cursor yet: live tail)");
        fetcher = new JetstreamFetcher(config, split.lastTimeUs(), element -> {
            queue.put(element);
            notifyAvailable();
        }, metrics);
        fetchThread = new Thread(() -> {
            try {
                fetcher.run();
            } finally {
                notifyAvailable();
            }
        }, "jetstream-fetcher-" + context.getIndexOfSubtask());
        fetchThread.setDaemon(true);
        fetchThread.start();
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() throws Exception {
        if (fetcher != null) {
            fetcher.stop();
        }
        if (fetchThread != null) {
            fetchThread.interrupt();
            fetchThread.join(10_000);
            if (fetchThread.isAlive()) {
                LOG.warn("Jetstream fetch thread did not stop within 10 s");
            }
        }
    }

    /** For tests. */
    JetstreamReaderMetrics metrics() {
        return metrics;
    }
}
