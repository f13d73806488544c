package io.tidings.source.bluesky.enumerator;

import java.util.List;
import io.tidings.source.bluesky.split.JetstreamSplit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the one split (one Jetstream subscription) and assigns it to reader 0; any other
 * readers stay idle, so run the source with parallelism 1. A split handed back after a reader
 * failure goes to reader 0 again once it registers.
 */
@Internal
public final class JetstreamEnumerator implements SplitEnumerator<JetstreamSplit, JetstreamEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(JetstreamEnumerator.class);
    static final int OWNER = 0;

    private final SplitEnumeratorContext<JetstreamSplit> context;
    private boolean splitCreated;
    private JetstreamSplit unassigned;

    public JetstreamEnumerator(SplitEnumeratorContext<JetstreamSplit> context, JetstreamEnumeratorState state) {
        this.context = context;
        this.splitCreated = state.splitCreated();
        this.unassigned = state.unassigned().orElse(null);
    }

    @Override
    public void start() {
        if (!splitCreated) {
            unassigned = JetstreamSplit.fresh();
            splitCreated = true;
        }
        if (context.currentParallelism() > 1) {
            LOG.warn("Jetstream source runs with parallelism {}: only reader {} subscribes (one split = one WebSocket); "
                    + "set the source's parallelism to 1", context.currentParallelism(), OWNER);
        }
        assignIfPossible();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Readers do not ask; the one split is pushed to reader 0.
    }

    @Override
    public void addSplitsBack(List<JetstreamSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            unassigned = splits.get(0);
            LOG.info("Jetstream split {} handed back by reader {}", unassigned, subtaskId);
        }
        assignIfPossible();
    }

    @Override
    public void addReader(int subtaskId) {
        assignIfPossible();
    }

    @Override
    public JetstreamEnumeratorState snapshotState(long checkpointId) {
        return new JetstreamEnumeratorState(splitCreated, unassigned);
    }

    @Override
    public void close() {}

    private void assignIfPossible() {
        if (unassigned != null && context.registeredReaders().containsKey(OWNER)) {
            LOG.info("assigning Jetstream split {} to reader {}", unassigned, OWNER);
            context.assignSplit(unassigned, OWNER);
            unassigned = null;
        }
    }
}
