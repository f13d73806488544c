package io.tidings.source.mastodon.enumerator;

import io.tidings.source.common.SingleSplitEnumerator;
import io.tidings.source.mastodon.split.MastodonSplit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Creates the one split (one streaming subscription) and assigns it to reader 0; any other readers
 * stay idle, so run the source with parallelism 1. A split handed back after a reader failure goes
 * to reader 0 again once it registers.
 */
@Internal
public final class MastodonEnumerator extends SingleSplitEnumerator<MastodonSplit, MastodonEnumeratorState> {
    public MastodonEnumerator(SplitEnumeratorContext<MastodonSplit> context, MastodonEnumeratorState state) {
        super(context, state, "Mastodon", "Mastodon split",
                "subscribes (one split = one streaming connection and one timeline position)",
                MastodonSplit::fresh, MastodonEnumeratorState::new);
    }
}
