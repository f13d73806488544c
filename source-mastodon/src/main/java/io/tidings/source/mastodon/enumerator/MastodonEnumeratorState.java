package io.tidings.source.mastodon.enumerator;

import io.tidings.source.common.SingleSplitEnumeratorState;
import io.tidings.source.mastodon.split.MastodonSplit;
import org.apache.flink.annotation.Internal;

/**
 * What the enumerator checkpoints: whether the one split was created, and the split itself while it
 * waits to be (re)assigned. Once assigned, the split's position lives in the reader's state.
 */
@Internal
public final class MastodonEnumeratorState extends SingleSplitEnumeratorState<MastodonSplit> {
    public MastodonEnumeratorState(boolean splitCreated, MastodonSplit unassigned) {
        super(splitCreated, unassigned);
    }

    public static MastodonEnumeratorState initial() {
        return new MastodonEnumeratorState(false, null);
    }
}
