package io.tidings.source.x.enumerator;

import java.util.List;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the one split (X allows one stream connection) and assigns it to reader 0; any other
 * readers stay idle, so run the source with parallelism 1. A split handed back after a reader
 * failure goes to reader 0 again once it registers.
 */
@Internal
public final class XStreamEnumerator implements SplitEnumerator<XStreamSplit, XEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(XStreamEnumerator.class);
    static final int OWNER = 0;

    private final SplitEnumeratorContext<XStreamSplit> context;
    private boolean splitCreated;
    private XStreamSplit unassigned;

    public XStreamEnumerator(SplitEnumeratorContext<XStreamSplit> context, XEnumeratorState state) {
        this.context = context;
        this.splitCreated = state.splitCreated();
        this.unassigned = state.unassigned().orElse(null);
    }

    @Override
    public void start() {
        if (!splitCreated) {
            unassigned = XStreamSplit.fresh();
            splitCreated = true;
        }
        if (context.currentParallelism() > 1) {
            LOG.warn("X source runs with parallelism {}: only reader {} connects (X allows one stream connection); "
                    + "set the source's parallelism to 1", context.currentParallelism(), OWNER);
        }
        assignIfPossible();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Readers do not ask; the one split is pushed to reader 0.
    }

    @Override
    public void addSplitsBack(List<XStreamSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            unassigned = splits.get(0);
            LOG.info("X stream split {} handed back by reader {}", unassigned, subtaskId);
        }
        assignIfPossible();
    }

    @Override
    public void addReader(int subtaskId) {
        assignIfPossible();
    }

    @Override
    public XEnumeratorState snapshotState(long checkpointId) {
        return new XEnumeratorState(splitCreated, unassigned);
    }

    @Override
    public void close() {}

    private void assignIfPossible() {
        if (unassigned != null && context.registeredReaders().containsKey(OWNER)) {
            LOG.info("assigning X stream split {} to reader {}", unassigned, OWNER);
            context.assignSplit(unassigned, OWNER);
            unassigned = null;
        }
    }
}
