package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchSink;
import io.tidings.source.common.SingleSplitFetchReader;
import io.tidings.source.mastodon.source.MastodonSourceConfig;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.MastodonSplitState;
import io.tidings.source.mastodon.split.StatusIds;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one Mastodon split: a fetch thread ({@link MastodonFetcher}) fills the queue, the task
 * thread emits from it through {@link MastodonRecordEmitter} and checkpoints the split state. Readers
 * that get no split stay idle.
 */
@Internal
public final class MastodonSourceReader
        extends SingleSplitFetchReader<RawRecord, MastodonFetchedElement, MastodonSplit, MastodonSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(MastodonSourceReader.class);

    private final MastodonSourceConfig config;
    private final MastodonReaderMetrics metrics = new MastodonReaderMetrics();
    private final MastodonRecordEmitter emitter = new MastodonRecordEmitter();

    public MastodonSourceReader(MastodonSourceConfig config, SourceReaderContext context) {
        super(context, "Mastodon");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
    }

    /**
     * A fresh split's subscription starts now: the state holds that moment (as a status id) from the
     * first checkpoint on, so that a restore before the first status fills the gap from then.
     */
    @Override
    protected MastodonSplitState newSplitState(MastodonSplit split) {
        return new MastodonSplitState(split.startedAt(StatusIds.atMillis(config.clock().nowMillis())));
    }

    @Override
    protected MastodonSplit toSplit(MastodonSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void emit(MastodonFetchedElement element, ReaderOutput<RawRecord> output, MastodonSplitState state) {
        emitter.emit(element, output, state);
    }

    @Override
    protected void startFetching(MastodonSplit assigned, MastodonSplitState state, FetchSink<MastodonFetchedElement> sink) {
        MastodonSplit split = state.toSplit();
        boolean fresh = assigned.isFresh(); // else from a checkpoint, or back from a failed reader
        LOG.info("Mastodon source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                fresh ? "a fresh subscription: live" : "going on from a checkpoint: gap fill first");
        startLoop(new MastodonFetcher(config, split, fresh, sink, metrics), "mastodon-fetcher-" + context.getIndexOfSubtask());
    }

    /** For tests. */
    MastodonReaderMetrics metrics() {
        return metrics;
    }
}
