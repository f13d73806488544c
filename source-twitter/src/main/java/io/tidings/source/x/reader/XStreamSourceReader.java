package io.tidings.source.x.reader;

import java.time.Duration;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchLoopSplitReader;
import io.tidings.source.common.SingleSplitSourceReader;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one X split ({@link SingleSplitSourceReader}, on flink-connector-base): a fetch thread
 * ({@link XStreamFetcher}) fills the queue, the task thread emits from it and checkpoints the split
 * state, which each {@link XFetchedElement} advances as it is emitted. With the compliance stream
 * on, four more threads ({@link XComplianceFetcher}, one per partition) put their events into the
 * same queue; they do not move the split's position. Readers that get no split stay idle.
 */
@Internal
public final class XStreamSourceReader
        extends SingleSplitSourceReader<RawRecord, XFetchedElement, XStreamSplit, XStreamSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamSourceReader.class);

    private final XStreamSourceConfig config;
    private final XReaderMetrics metrics = new XReaderMetrics();

    public XStreamSourceReader(XStreamSourceConfig config, SourceReaderContext context) {
        super(context, "X");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
        super.start();
    }

    /**
     * A fresh split's subscription starts now: the state holds the time from the first checkpoint on,
     * so that a restore before the first post fills the gap from then.
     */
    @Override
    protected XStreamSplit started(XStreamSplit split) {
        return split.startedAt(config.clock().nowMillis());
    }

    @Override
    protected XStreamSplitState newSplitState(XStreamSplit split) {
        return new XStreamSplitState(split);
    }

    @Override
    protected XStreamSplit toSplit(XStreamSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void startFetching(XStreamSplit assigned, XStreamSplit split, FetchLoopSplitReader.Loops<XFetchedElement> loops) {
        boolean restored = !assigned.isFresh(); // from a checkpoint, or back from a failed reader
        LOG.info("X source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                restored ? "going on from a checkpoint" : "a fresh subscription");
        XApiClient client = new XApiClient(config.apiBase(), config.bearerToken().resolve(),
                Duration.ofMillis(config.requestTimeoutMs()));
        loops.start(new XStreamFetcher(config, client, split, !restored, loops.sink(), metrics),
                "x-stream-fetcher-" + context.getIndexOfSubtask());
        if (config.complianceStream()) {
            // A restored reader asks X to backfill the compliance events that came meanwhile.
            for (int partition = 1; partition <= XComplianceFetcher.PARTITIONS; partition++) {
                loops.start(new XComplianceFetcher(config, client, partition, restored, loops.sink(), metrics),
                        "x-compliance-" + partition + "-fetcher-" + context.getIndexOfSubtask());
            }
        }
    }

    /** For tests. */
    XReaderMetrics metrics() {
        return metrics;
    }
}
