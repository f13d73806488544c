package io.tidings.source.bluesky.enumerator;

import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.common.SingleSplitEnumerator;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Creates the one split (one Jetstream subscription) and assigns it to reader 0; any other
 * readers stay idle, so run the source with parallelism 1. A split handed back after a reader
 * failure goes to reader 0 again once it registers.
 */
@Internal
public final class JetstreamEnumerator extends SingleSplitEnumerator<JetstreamSplit, JetstreamEnumeratorState> {
    public JetstreamEnumerator(SplitEnumeratorContext<JetstreamSplit> context, JetstreamEnumeratorState state) {
        super(context, state, "Jetstream", "Jetstream split", "subscribes (one split = one WebSocket)",
                JetstreamSplit::fresh, JetstreamEnumeratorState::new);
    }
}
