package io.tidings.source.bluesky.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.common.testing.RecordingEnumeratorContext;
import org.junit.jupiter.api.Test;

class JetstreamEnumeratorTest {

    @Test
    void assignsTheOneSplitToReaderZeroOnlyAndTakesItBack() throws Exception {
        RecordingEnumeratorContext<JetstreamSplit> ctx = new RecordingEnumeratorContext<>(2);
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
        RecordingEnumeratorContext<JetstreamSplit> ctx = new RecordingEnumeratorContext<>(1);
        JetstreamEnumerator e = new JetstreamEnumerator(ctx, new JetstreamEnumeratorState(true, null));
        e.start();
        ctx.register(0, e);
        assertThat(ctx.assignments).isEmpty();
    }
}
