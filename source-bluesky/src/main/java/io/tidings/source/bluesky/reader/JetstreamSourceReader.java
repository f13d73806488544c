package io.tidings.source.bluesky.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamRecentEvents;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitState;
import io.tidings.source.common.FetchLoopSplitReader;
import io.tidings.source.common.SingleSplitSourceReader;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one Jetstream split ({@link SingleSplitSourceReader}, on flink-connector-base): a fetch
 * thread ({@link JetstreamFetcher}) fills the queue, the task thread emits from it and checkpoints
 * the split state, which each {@link JetstreamFetchedElement} advances as it is emitted. Readers that
 * get no split stay idle.
 */
@Internal
public final class JetstreamSourceReader
        extends SingleSplitSourceReader<RawRecord, JetstreamFetchedElement, JetstreamSplit, JetstreamSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(JetstreamSourceReader.class);

    private final JetstreamSourceConfig config;
    private final JetstreamReaderMetrics metrics = new JetstreamReaderMetrics();

    public JetstreamSourceReader(JetstreamSourceConfig config, SourceReaderContext context) {
        super(context, "Jetstream");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
        super.start();
    }

    /**
     * A fresh split's subscription starts now: the state holds the time from the first checkpoint on,
     * so that a restore before the first event replays from then.
     */
    @Override
    protected JetstreamSplit started(JetstreamSplit split) {
        return split.startedAt(config.clock().nowMillis() * 1000);
    }

    @Override
    protected JetstreamSplitState newSplitState(JetstreamSplit split) {
        return new JetstreamSplitState(split, JetstreamRecentEvents.keepMicrosFor(config.replayMicros()));
    }

    @Override
    protected JetstreamSplit toSplit(JetstreamSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void startFetching(JetstreamSplit assigned, JetstreamSplit split,
            FetchLoopSplitReader.Loops<JetstreamFetchedElement> loops) {
        boolean fresh = assigned.isFresh(); // else from a checkpoint, or back from a failed reader
        LOG.info("Jetstream source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                fresh ? "a fresh subscription: live tail" : "going on from a checkpoint");
        loops.start(new JetstreamFetcher(config, split, fresh, loops.sink(), metrics),
                "jetstream-fetcher-" + context.getIndexOfSubtask());
    }

    /** For tests. */
    JetstreamReaderMetrics metrics() {
        return metrics;
    }
}
