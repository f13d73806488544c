package io.tidings.source.common;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a source's one split (one connection to the platform) and assigns it to reader
 * {@value #OWNER}; any other readers stay idle, so run the source with parallelism 1. A split
 * handed back after a reader failure goes to reader {@value #OWNER} again once it registers.
 */
@Internal
public class SingleSplitEnumerator<SplitT extends SourceSplit, StateT extends SingleSplitEnumeratorState<SplitT>>
        implements SplitEnumerator<SplitT, StateT> {
    private static final Logger LOG = LoggerFactory.getLogger(SingleSplitEnumerator.class);
    public static final int OWNER = 0;

    private final SplitEnumeratorContext<SplitT> context;
    private final String sourceName;
    private final String splitName;
    private final String whyOneSplit;
    private final Supplier<SplitT> freshSplit;
    private final BiFunction<Boolean, SplitT, StateT> newState;
    private boolean splitCreated;
    private SplitT unassigned;

    /**
     * @param sourceName e.g. {@code X}, in log lines
     * @param splitName e.g. {@code X stream split}, in log lines
     * @param whyOneSplit what reader 0 alone does and why, e.g. {@code connects (X allows one stream connection)}
     * @param freshSplit the split of a fresh start
     * @param newState makes the checkpointed state from the split-created flag and the unassigned split (or null)
     */
    protected SingleSplitEnumerator(SplitEnumeratorContext<SplitT> context, StateT state, String sourceName,
            String splitName, String whyOneSplit, Supplier<SplitT> freshSplit, BiFunction<Boolean, SplitT, StateT> newState) {
        this.context = context;
        this.sourceName = sourceName;
        this.splitName = splitName;
        this.whyOneSplit = whyOneSplit;
        this.freshSplit = freshSplit;
        this.newState = newState;
        this.splitCreated = state.splitCreated();
        this.unassigned = state.unassigned().orElse(null);
    }

    @Override
    public void start() {
        if (!splitCreated) {
            unassigned = freshSplit.get();
            splitCreated = true;
        }
        if (context.currentParallelism() > 1) {
            LOG.warn("{} source runs with parallelism {}: only reader {} {}; set the source's parallelism to 1",
                    sourceName, context.currentParallelism(), OWNER, whyOneSplit);
        }
        assignIfPossible();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Readers do not ask; the one split is pushed to reader 0.
    }

    @Override
    public void addSplitsBack(List<SplitT> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            unassigned = splits.get(0);
            LOG.info("{} {} handed back by reader {}", splitName, unassigned, subtaskId);
        }
        assignIfPossible();
    }

    @Override
    public void addReader(int subtaskId) {
        assignIfPossible();
    }

    @Override
    public StateT snapshotState(long checkpointId) {
        return newState.apply(splitCreated, unassigned);
    }

    @Override
    public void close() {}

    private void assignIfPossible() {
        if (unassigned != null && context.registeredReaders().containsKey(OWNER)) {
            LOG.info("assigning {} {} to reader {}", splitName, unassigned, OWNER);
            context.assignSplit(unassigned, OWNER);
            unassigned = null;
        }
    }
}
