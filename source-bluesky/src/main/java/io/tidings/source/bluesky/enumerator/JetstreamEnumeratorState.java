package io.tidings.source.bluesky.enumerator;

import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.common.SingleSplitEnumeratorState;
import org.apache.flink.annotation.Internal;

/**
 * What the enumerator checkpoints: whether the one split was created, and the split itself while it
 * waits to be (re)assigned. Once assigned, the split's position lives in the reader's state.
 */
@Internal
public final class JetstreamEnumeratorState extends SingleSplitEnumeratorState<JetstreamSplit> {
    public JetstreamEnumeratorState(boolean splitCreated, JetstreamSplit unassigned) {
        super(splitCreated, unassigned);
    }

    public static JetstreamEnumeratorState initial() {
        return new JetstreamEnumeratorState(false, null);
    }
}
