package io.tidings.source.x.reader;

import java.time.Duration;
import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.SingleSplitFetchReader;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one X split: a fetch thread ({@link XStreamFetcher}) fills the queue, the task thread
 * emits from it through {@link XRecordEmitter} and checkpoints the split state. With the
 * compliance stream on, four more threads ({@link XComplianceFetcher}, one per partition) put their
 * events into the same queue; they do not move the split's position. Readers that get no split
 * stay idle.
 */
@Internal
public final class XStreamSourceReader
        extends SingleSplitFetchReader<RawRecord, XFetchedElement, XStreamSplit, XStreamSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamSourceReader.class);

    private final XStreamSourceConfig config;
    private final XReaderMetrics metrics = new XReaderMetrics();
    private final XRecordEmitter emitter = new XRecordEmitter();

    public XStreamSourceReader(XStreamSourceConfig config, SourceReaderContext context) {
        super(context, "X");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
    }

    /**
     * A fresh split's subscription starts now: the state holds the time from the first checkpoint on,
     * so that a restore before the first post fills the gap from then.
     */
    @Override
    protected XStreamSplitState newSplitState(XStreamSplit split) {
        return new XStreamSplitState(split.startedAt(config.clock().nowMillis()));
    }

    @Override
    protected XStreamSplit toSplit(XStreamSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void emit(XFetchedElement element, ReaderOutput<RawRecord> output, XStreamSplitState state) {
        emitter.emit(element, output, state);
    }

    @Override
    protected void startFetching(XStreamSplit assigned, XStreamSplitState state, FetchSink<XFetchedElement> sink) {
        XStreamSplit split = state.toSplit();
        boolean restored = !assigned.isFresh(); // from a checkpoint, or back from a failed reader
        LOG.info("X source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                restored ? "going on from a checkpoint" : "a fresh subscription");
        XApiClient client = new XApiClient(config.apiBase(), config.bearerToken().resolve(),
                Duration.ofMillis(config.requestTimeoutMs()));
        XFetchSink xSink = sink::accept;
        startLoop(new XStreamFetcher(config, client, split, !restored, xSink, metrics),
                "x-stream-fetcher-" + context.getIndexOfSubtask());
        if (config.complianceStream()) {
            // A restored reader asks X to backfill the compliance events that came meanwhile.
            for (int partition = 1; partition <= XComplianceFetcher.PARTITIONS; partition++) {
                startLoop(new XComplianceFetcher(config, client, partition, restored, xSink, metrics),
                        "x-compliance-" + partition + "-fetcher-" + context.getIndexOfSubtask());
            }
        }
    }

    /** For tests. */
    XReaderMetrics metrics() {
        return metrics;
    }
}
