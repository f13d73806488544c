package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.common.FetchLoopSplitReader;
import io.tidings.source.common.SingleSplitSourceReader;
import io.tidings.source.mastodon.source.MastodonSourceConfig;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.MastodonSplitState;
import io.tidings.source.mastodon.split.StatusIds;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the one Mastodon split ({@link SingleSplitSourceReader}, on flink-connector-base): a fetch
 * thread ({@link MastodonFetcher}) fills the queue, the task thread emits from it and checkpoints the
 * split state, which each {@link MastodonFetchedElement} advances as it is emitted. Readers that get
 * no split stay idle.
 */
@Internal
public final class MastodonSourceReader
        extends SingleSplitSourceReader<RawRecord, MastodonFetchedElement, MastodonSplit, MastodonSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(MastodonSourceReader.class);

    private final MastodonSourceConfig config;
    private final MastodonReaderMetrics metrics = new MastodonReaderMetrics();

    public MastodonSourceReader(MastodonSourceConfig config, SourceReaderContext context) {
        super(context, "Mastodon");
        this.config = config;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup(), config.clock());
        super.start();
    }

    /**
     * A fresh split's subscription starts now: the state holds that moment (as a status id) from the
     * first checkpoint on, so that a restore before the first status fills the gap from then.
     */
    @Override
    protected MastodonSplit started(MastodonSplit split) {
        return split.startedAt(StatusIds.atMillis(config.clock().nowMillis()));
    }

    @Override
    protected MastodonSplitState newSplitState(MastodonSplit split) {
        return new MastodonSplitState(split);
    }

    @Override
    protected MastodonSplit toSplit(MastodonSplitState state) {
        return state.toSplit();
    }

    @Override
    protected void startFetching(MastodonSplit assigned, MastodonSplit split,
            FetchLoopSplitReader.Loops<MastodonFetchedElement> loops) {
        boolean fresh = assigned.isFresh(); // else from a checkpoint, or back from a failed reader
        LOG.info("Mastodon source reader {} starts split {} ({})", context.getIndexOfSubtask(), split,
                fresh ? "a fresh subscription: live" : "going on from a checkpoint: gap fill first");
        loops.start(new MastodonFetcher(config, split, fresh, loops.sink(), metrics),
                "mastodon-fetcher-" + context.getIndexOfSubtask());
    }

    /** For tests. */
    MastodonReaderMetrics metrics() {
        return metrics;
    }
}
