package io.tidings.source.x.reader;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import io.tidings.records.RawRecord;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one X split: a fetch thread ({@link XStreamFetcher}) fills a bounded queue, the task
 * thread emits from it through {@link XRecordEmitter} and checkpoints the split state. Readers that
 * get no split stay idle.
 */
@Internal
@SuppressWarnings("try") // close() is SourceReader's, declared to throw Exception
public final class XStreamSourceReader implements SourceReader<RawRecord, XStreamSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamSourceReader.class);
    static final int QUEUE_CAPACITY = 10_000;

    private final XStreamSourceConfig config;
    private final SourceReaderContext context;
    private final XReaderMetrics metrics = new XReaderMetrics();
    private final XRecordEmitter emitter = new XRecordEmitter();
    private final BlockingQueue<XFetchedElement> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();

    private XStreamSplitState splitState;
    private XStreamFetcher fetcher;
    private Thread fetchThread;

    public XStreamSourceReader(XStreamSourceConfig config, SourceReaderContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) throws Exception {
        XFetchedElement element = queue.poll();
        if (element == null) {
            Throwable failure = fetcher == null ? null : fetcher.failure();
            if (failure != null) {
                throw new RuntimeException("X source failed: " + failure.getMessage(), failure);
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
    public List<XStreamSplit> snapshotState(long checkpointId) {
        return splitState == null ? List.of() : List.of(splitState.toSplit());
    }

    @Override
    public void addSplits(List<XStreamSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (splitState != null || splits.size() > 1) {
            throw new IllegalStateException("the X source has exactly one split; got " + splits + " while holding "
                    + (splitState == null ? "none" : splitState.toSplit()));
        }
        XStreamSplit split = splits.get(0);
        splitState = new XStreamSplitState(split);
        LOG.info("X source reader {} starts split {}", context.getIndexOfSubtask(), split);
        XApiClient client = new XApiClient(config.apiBase(), config.bearerToken().resolve(),
                Duration.ofMillis(config.requestTimeoutMs()));
        fetcher = new XStreamFetcher(config, client, split.newestPostId().orElse(null), element -> {
            queue.put(element);
            notifyAvailable();
        }, metrics);
        fetchThread = new Thread(() -> {
            try {
                fetcher.run();
            } finally {
                notifyAvailable();
            }
        }, "x-stream-fetcher-" + context.getIndexOfSubtask());
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
                LOG.warn("X fetch thread did not stop within 10 s");
            }
        }
    }

    /** For tests. */
    XReaderMetrics metrics() {
        return metrics;
    }
}
