package io.tidings.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.source.common.testing.TestReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.junit.jupiter.api.Test;

/**
 * The reader base (on flink-connector-base) with plain loops: what the three sources rely on, without
 * a platform.
 */
class SingleSplitSourceReaderTest {

    record Split(String splitId, long position) implements SourceSplit {}

    /** The state is the position of the last element emitted. */
    static final class Position {
        long value;
    }

    /** Emitting it emits "element n" and moves the position to n. */
    record Element(long n) implements FetchedElement<String, Position> {
        @Override
        public String record() {
            return "element " + n;
        }

        @Override
        public void applyTo(Position state) {
            state.value = n;
        }
    }

    /** Emits strings; each loop is given to it by the test. */
    static final class Reader extends SingleSplitSourceReader<String, Element, Split, Position> {
        final List<FetchLoop> toStart = new ArrayList<>();

        Reader() {
            super(new TestReaderContext(), "Test");
        }

        @Override
        protected Split started(Split split) {
            return split;
        }

        @Override
        protected Position newSplitState(Split split) {
            Position p = new Position();
            p.value = split.position();
            return p;
        }

        @Override
        protected Split toSplit(Position state) {
            return new Split("only", state.value);
        }

        @Override
        protected void startFetching(Split assigned, Split split, FetchLoopSplitReader.Loops<Element> loops) {
            for (int i = 0; i < toStart.size(); i++) {
                FetchLoop loop = toStart.get(i);
                if (loop instanceof Counting counting) {
                    counting.sink = loops.sink();
                    counting.next = split.position() + 1;
                }
                loops.start(loop, "test-loop-" + i);
            }
        }
    }

    /** Puts 1, 2, 3 … after the split's position, {@code count} of them, then waits until stopped. */
    static final class Counting implements FetchLoop {
        final int count;
        final CountDownLatch stopped = new CountDownLatch(1);
        FetchSink<Element> sink;
        long next;

        Counting(int count) {
            this.count = count;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < count; i++) {
                    sink.accept(new Element(next++));
                }
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Throwable failure() {
            return null;
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }

    /** Fails at once. */
    static final class Failing implements FetchLoop {
        volatile Throwable failure;

        @Override
        public void run() {
            failure = new IllegalStateException("no access");
        }

        @Override
        public Throwable failure() {
            return failure;
        }

        @Override
        public void stop() {}
    }

    @Test
    void emitsWhatTheLoopsQueueAndCheckpointsWhatWasEmitted() throws Exception {
        Reader reader = new Reader();
        Counting counting = new Counting(3);
        reader.toStart.add(counting);
        reader.addSplits(List.of(new Split("only", 10)));
        CollectingOutput<String> out = new CollectingOutput<>();
        out.pollUntil(reader, 3, Duration.ofSeconds(10));
        assertThat(out.records).containsExactly("element 11", "element 12", "element 13");
        assertThat(reader.snapshotState(1)).containsExactly(new Split("only", 13));
        reader.close();
        assertThat(counting.stopped.await(1, TimeUnit.SECONDS)).as("close stops every loop").isTrue();
    }

    @Test
    void aFailureOfAnyLoopFailsPollNextWithTheSourceName() throws Exception {
        Reader reader = new Reader();
        Counting quiet = new Counting(0);
        reader.toStart.add(quiet);
        reader.toStart.add(new Failing());
        reader.addSplits(List.of(new Split("only", 0)));
        reader.isAvailable().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> reader.pollNext(new CollectingOutput<>()))
                .hasMessage("Test source failed: no access");
        reader.close();
        assertThat(quiet.stopped.getCount()).isZero();
    }

    @Test
    void aSecondSplitIsRefusedAndAReaderWithoutASplitStaysIdle() throws Exception {
        Reader idle = new Reader();
        assertThat(idle.snapshotState(1)).isEmpty();
        assertThat(idle.isAvailable()).isNotDone();
        idle.close();

        Reader reader = new Reader();
        reader.addSplits(List.of(new Split("only", 0)));
        assertThatThrownBy(() -> reader.addSplits(List.of(new Split("other", 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the Test source has exactly one split");
        reader.close();
    }
}
