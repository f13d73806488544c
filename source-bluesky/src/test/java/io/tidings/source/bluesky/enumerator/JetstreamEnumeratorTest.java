package io.tidings.source.bluesky.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import io.tidings.source.bluesky.split.JetstreamSplit;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class JetstreamEnumeratorTest {

    /** Records assignments; readers register by hand. */
    static final class Context implements SplitEnumeratorContext<JetstreamSplit> {
        final Map<Integer, ReaderInfo> readers = new HashMap<>();
        final List<String> assignments = new ArrayList<>();
        final int parallelism;

        Context(int parallelism) {
            this.parallelism = parallelism;
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
        public void assignSplits(SplitsAssignment<JetstreamSplit> assignment) {
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

        void register(int subtask, JetstreamEnumerator enumerator) {
            readers.put(subtask, new ReaderInfo(subtask, "localhost"));
            enumerator.addReader(subtask);
        }
    }

    @Test
    void assignsTheOneSplitToReaderZeroOnlyAndTakesItBack() throws Exception {
        Context ctx = new Context(2);
        JetstreamEnumerator e = new JetstreamEnumerator(ctx, JetstreamEnumeratorState.initial());
        e.start();
        assertThat(e.snapshotState(1)).isEqualTo(new JetstreamEnumeratorState(true, JetstreamSplit.fresh()));
        ctx.register(1, e);
        assertThat(ctx.assignments).isEmpty();
        ctx.register(0, e);
        assertThat(ctx.assignments).containsExactly("0:" + JetstreamSplit.fresh());
        assertThat(e.snapshotState(2)).isEqualTo(new JetstreamEnumeratorState(true, null));

        // reader 0 fails: its split comes back with its position and goes to reader 0 again
        JetstreamSplit back = new JetstreamSplit(JetstreamSplit.SPLIT_ID, 1_725_911_162_329_308L);
        ctx.readers.remove(0);
        e.addSplitsBack(List.of(back), 0);
        assertThat(e.snapshotState(3)).isEqualTo(new JetstreamEnumeratorState(true, back));
        ctx.register(0, e);
        assertThat(ctx.assignments).containsExactly("0:" + JetstreamSplit.fresh(), "0:" + back);
    }

    @Test
    void aRestoredEnumeratorWhoseSplitWasAssignedCreatesNoOther() {
        Context ctx = new Context(1);
        JetstreamEnumerator e = new JetstreamEnumerator(ctx, new JetstreamEnumeratorState(true, null));
        e.start();
        ctx.register(0, e);
        assertThat(ctx.assignments).isEmpty();
    }
}
