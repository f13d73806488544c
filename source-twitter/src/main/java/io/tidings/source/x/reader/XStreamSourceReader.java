package io.tidings.source.x.reader;

import java.time.Duration;
import java.util.ArrayList;
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
 * thread emits from it through {@link XRecordEmitter} and checkpoints the split state. With the
 * compliance stream on, four more threads ({@link XComplianceFetcher}, one per partition) put their
 * events into the same queue; they do not move the split's position. Readers that get no split
 * stay idle.
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
    private final List<XComplianceFetcher> complianceFetchers = new ArrayList<>();
    private final List<Thread> complianceThreads = new ArrayList<>();

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
            Throwable failure = failure();
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
            if (!queue.isEmpty() || failure() != null) {
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    /** The error that ended any fetch thread, or null. */
    private Throwable failure() {
        Throwable failure = fetcher == null ? null : fetcher.failure();
        for (XComplianceFetcher compliance : complianceFetchers) {
            if (failure == null) {
                failure = compliance.failure();
            }
        }
        return failure;
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
        XFetchSink sink = element -> {
            queue.put(element);
            notifyAvailable();
        };
        fetcher = new XStreamFetcher(config, client, split.newestPostId().orElse(null), sink, metrics);
        fetchThread = startThread(fetcher, "x-stream-fetcher-" + context.getIndexOfSubtask());
        if (config.complianceStream()) {
            // A split with a position comes from a checkpoint: ask X to backfill what came meanwhile.
            boolean restored = split.newestPostId().isPresent();
            for (int partition = 1; partition <= XComplianceFetcher.PARTITIONS; partition++) {
                XComplianceFetcher compliance = new XComplianceFetcher(config, client, partition, restored, sink, metrics);
                complianceFetchers.add(compliance);
                complianceThreads.add(startThread(compliance,
                        "x-compliance-" + partition + "-fetcher-" + context.getIndexOfSubtask()));
            }
        }
    }

    private Thread startThread(Runnable loop, String name) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                notifyAvailable();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() throws Exception {
        if (fetcher != null) {
            fetcher.stop();
        }
        complianceFetchers.forEach(XComplianceFetcher::stop);
        List<Thread> threads = new ArrayList<>(complianceThreads);
        if (fetchThread != null) {
            threads.add(0, fetchThread);
        }
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                LOG.warn("X fetch thread {} did not stop within 10 s", thread.getName());
            }
        }
    }

    /** For tests. */
    XReaderMetrics metrics() {
        return metrics;
    }
}
