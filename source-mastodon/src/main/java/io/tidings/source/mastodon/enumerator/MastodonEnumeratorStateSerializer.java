package io.tidings.source.mastodon.enumerator;

import io.tidings.source.common.SingleSplitEnumeratorStateSerializer;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.MastodonSplitSerializer;
import org.apache.flink.annotation.Internal;

/** Version 1, as {@link SingleSplitEnumeratorStateSerializer} writes it, with the Mastodon split inside. */
@Internal
public final class MastodonEnumeratorStateSerializer
        extends SingleSplitEnumeratorStateSerializer<MastodonSplit, MastodonEnumeratorState> {
    public static final int CURRENT_VERSION = VERSION_1;

    public MastodonEnumeratorStateSerializer() {
        super("MastodonEnumeratorState", new MastodonSplitSerializer(), MastodonEnumeratorState::new);
    }
}
