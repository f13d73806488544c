package io.tidings.source.x.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.common.testing.RecordingEnumeratorContext;
import org.junit.jupiter.api.Test;

class XStreamEnumeratorTest {

    @Test
    void assignsTheOneSplitToReaderZeroOnlyAndTakesItBack() throws Exception {
        RecordingEnumeratorContext<XStreamSplit> ctx = new RecordingEnumeratorContext<>(2);
        XStreamEnumerator e = new XStreamEnumerator(ctx, XEnumeratorState.initial());
        e.start();
        assertThat(e.snapshotState(1)).isEqualTo(new XEnumeratorState(true, XStreamSplit.fresh()));
        ctx.register(1, e);
        assertThat(ctx.assignments).isEmpty();
        ctx.register(0, e);
        assertThat(ctx.assignments).containsExactly("0:" + XStreamSplit.fresh());
        assertThat(e.snapshotState(2)).isEqualTo(new XEnumeratorState(true, null));

        // reader 0 fails: its split comes back with its position and goes to reader 0 again
        XStreamSplit back = new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, "77", 5, 3);
        ctx.readers.remove(0);
        e.addSplitsBack(List.of(back), 0);
        assertThat(e.snapshotState(3)).isEqualTo(new XEnumeratorState(true, back));
        ctx.register(0, e);
        assertThat(ctx.assignments).containsExactly("0:" + XStreamSplit.fresh(), "0:" + back);
    }

    @Test
    void aRestoredEnumeratorWhoseSplitWasAssignedCreatesNoOther() {
        RecordingEnumeratorContext<XStreamSplit> ctx = new RecordingEnumeratorContext<>(1);
        XStreamEnumerator e = new XStreamEnumerator(ctx, new XEnumeratorState(true, null));
        e.start();
        ctx.register(0, e);
        assertThat(ctx.assignments).isEmpty();
    }
}
