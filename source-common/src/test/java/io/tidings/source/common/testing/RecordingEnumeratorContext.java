package io.tidings.source.common.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** An enumerator context for unit tests: records assignments as {@code "reader:split"}; readers register by hand. */
public final class RecordingEnumeratorContext<SplitT extends SourceSplit> implements SplitEnumeratorContext<SplitT> {
    public final Map<Integer, ReaderInfo> readers = new HashMap<>();
    public final List<String> assignments = new ArrayList<>();
    private final int parallelism;

    public RecordingEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    /** Reader {@code subtask} registers with the context and the enumerator. */
    public void register(int subtask, SplitEnumerator<SplitT, ?> enumerator) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
        enumerator.addReader(subtask);
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<SplitT> assignment) {
        assignment.assignment().forEach((reader, splits) -> splits.forEach(s -> assignments.add(reader + ":" + s)));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {}

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {}

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {}

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
