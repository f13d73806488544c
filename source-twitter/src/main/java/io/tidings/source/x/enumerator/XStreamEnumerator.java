package io.tidings.source.x.enumerator;

import io.tidings.source.common.SingleSplitEnumerator;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Creates the one split (X allows one stream connection) and assigns it to reader 0; any other
 * readers stay idle, so run the source with parallelism 1. A split handed back after a reader
 * failure goes to reader 0 again once it registers.
 */
@Internal
public final class XStreamEnumerator extends SingleSplitEnumerator<XStreamSplit, XEnumeratorState> {
    public XStreamEnumerator(SplitEnumeratorContext<XStreamSplit> context, XEnumeratorState state) {
        super(context, state, "X", "X stream split", "connects (X allows one stream connection)",
                XStreamSplit::fresh, XEnumeratorState::new);
    }
}
