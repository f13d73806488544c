package io.tidings.source.bluesky.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamRecentEvents;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitState;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.SingleSplitFetchReader;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one Jetstream split: a fetch thread ({@link JetstreamFetcher}) fills the queue, the task
 * thread emits from it through {@link JetstreamRecordEmitter} and checkpoints the split state. Readers that
 * get no split stay idle.
 */
@Internal
public final class JetstreamSourceReader
        extends SingleSplitFetchReader<RawRecord, JetstreamFetchedElement, JetstreamSplit, JetstreamSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(JetstreamSourceReader.class);

    private final JetstreamSourceConfig config;
    private final JetstreamReaderMetrics metrics = new JetstreamReaderMetrics();
    private final JetstreamRecordEmitter emitter = new JetstreamRecordEmitter();

    public JetstreamSourceReader(JetstreamSourceConfig config, SourceReaderContext context) {
        super(context, "Jetstream");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
    }

    /**
     * A fresh split's subscription starts now: the state holds the time from the first checkpoint on,
     * so that a restore before the first event replays from then.
     */
    @Override
    protected JetstreamSplitState newSplitState(JetstreamSplit split) {
        return new JetstreamSplitState(split.startedAt(config.clock().nowMillis() * 1000),
                JetstreamRecentEvents.keepMicrosFor(config.replayMicros()));
    }

    @Override
    protected JetstreamSplit toSplit(JetstreamSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void emit(JetstreamFetchedElement element, ReaderOutput<RawRecord> output, JetstreamSplitState state) {
        emitter.emit(element, output, state);
    }

    @Override
    protected void startFetching(JetstreamSplit assigned, JetstreamSplitState state,
            FetchSink<JetstreamFetchedElement> sink) {
        JetstreamSplit split = state.toSplit();
        boolean fresh = assigned.isFresh(); // else from a checkpoint, or back from a failed reader
        LOG.info("Jetstream source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                fresh ? "a fresh subscription: live tail" : "going on from a checkpoint");
        startLoop(new JetstreamFetcher(config, split, fresh, sink::accept, metrics),
                "jetstream-fetcher-" + context.getIndexOfSubtask());
    }

    /** For tests. */
    JetstreamReaderMetrics metrics() {
        return metrics;
    }
}
