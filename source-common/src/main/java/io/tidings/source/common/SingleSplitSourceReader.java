package io.tidings.source.common;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.ExceptionUtils;

/**
 * The reader of a source with one split, on flink-connector-base: Flink's fetcher thread runs a
 * {@link FetchLoopSplitReader} that starts the source's fetch loops, Flink's element queue and
 * availability carry what they fetch to the task thread, and {@link FetchedElementEmitter} emits
 * it and advances the split state, so a checkpoint holds exactly what went downstream. A failed loop
 * fails {@link #pollNext} with {@code "<source> source failed: <the loop's message>"}. Readers that
 * get no split stay idle; a second split is refused.
 *
 * @param <T> what the source emits
 * @param <E> what its fetch loops queue
 * @param <SplitT> the split
 * @param <StateT> the reader's mutable state of the split
 */
@Internal
public abstract class SingleSplitSourceReader<T, E extends FetchedElement<T, StateT>, SplitT extends SourceSplit, StateT>
        extends SingleThreadMultiplexSourceReaderBase<E, T, SplitT, StateT> {

    /** The splits as they were assigned (fresh, or from a checkpoint), by id, for {@link #startFetching}. */
    private static final class Assigned<SplitT> {
        final Map<String, SplitT> splits = new ConcurrentHashMap<>();
    }

    private final String sourceName;
    private final Assigned<SplitT> assigned;
    private boolean holdsSplit;

    /** @param sourceName e.g. {@code X}, in messages */
    protected SingleSplitSourceReader(SourceReaderContext context, String sourceName) {
        this(context, sourceName, new Assigned<>(), new LoopsStarterRef<>());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SingleSplitSourceReader(SourceReaderContext context, String sourceName, Assigned<SplitT> assigned,
            LoopsStarterRef<E, SplitT> ref) {
        super(() -> new FetchLoopSplitReader<E, SplitT>(sourceName, (split, loops) -> ref.target
                .startFetching(assigned.splits.get(split.splitId()), split, loops)),
                (FetchedElementEmitter) new FetchedElementEmitter<T, StateT>(), context.getConfiguration(), context);
        this.sourceName = sourceName;
        this.assigned = assigned;
        ref.target = this::startFetching;
    }

    /** Lets the split reader, made before this reader exists, call {@link #startFetching} on it. */
    private static final class LoopsStarterRef<E, SplitT> {
        volatile StartFetching<E, SplitT> target;
    }

    private interface StartFetching<E, SplitT> {
        void startFetching(SplitT assigned, SplitT started, FetchLoopSplitReader.Loops<E> loops);
    }

    /**
     * The split as this reader will hold it: a fresh split stamped with when its subscription starts
     * (now), so that the first checkpoint already holds it; any other as it is.
     */
    protected abstract SplitT started(SplitT split);

    /** The reader's state of a split {@link #started} returned. */
    protected abstract StateT newSplitState(SplitT split);

    /** The split as it stands, for a checkpoint. */
    protected abstract SplitT toSplit(StateT state);

    /**
     * Starts the fetch loops, on Flink's fetcher thread.
     *
     * @param assigned the split as it was assigned (fresh, or from a checkpoint)
     * @param started the same, as {@link #started} stamped it: where the loops go on from
     * @param loops where to start them; each puts what it fetches into {@code loops.sink()}
     */
    protected abstract void startFetching(SplitT assigned, SplitT started, FetchLoopSplitReader.Loops<E> loops);

    @Override
    public void addSplits(List<SplitT> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (holdsSplit || splits.size() > 1) {
            throw new IllegalStateException("the " + sourceName + " source has exactly one split; got " + splits
                    + (holdsSplit ? " while holding one" : ""));
        }
        holdsSplit = true;
        SplitT split = splits.get(0);
        assigned.splits.put(split.splitId(), split);
        super.addSplits(List.of(started(split)));
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        try {
            return super.pollNext(output);
        } catch (RuntimeException e) {
            // Flink wraps a fetcher's error twice ("One or more fetchers have encountered exception",
            // "SplitFetcher thread 0 received unexpected exception"): say what failed instead.
            FetchLoopFailedException failed = ExceptionUtils.findThrowable(e, FetchLoopFailedException.class)
                    .orElse(null);
            if (failed == null) {
                throw e;
            }
            throw new RuntimeException(failed.getMessage(), failed.getCause());
        }
    }

    @Override
    protected final StateT initializedState(SplitT split) {
        return newSplitState(split);
    }

    @Override
    protected final SplitT toSplitType(String splitId, StateT state) {
        return toSplit(state);
    }

    /** A live source's split never finishes. */
    @Override
    protected void onSplitFinished(Map<String, StateT> finishedSplitIds) {}
}
