package io.tidings.source.x.enumerator;

import io.tidings.source.common.SingleSplitEnumeratorState;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;

/**
 * What the enumerator checkpoints: whether the one split was created, and the split itself while it
 * waits to be (re)assigned. Once assigned, the split's position lives in the reader's state.
 */
@Internal
public final class XEnumeratorState extends SingleSplitEnumeratorState<XStreamSplit> {
    public XEnumeratorState(boolean splitCreated, XStreamSplit unassigned) {
        super(splitCreated, unassigned);
    }

    public static XEnumeratorState initial() {
        return new XEnumeratorState(false, null);
    }
}
