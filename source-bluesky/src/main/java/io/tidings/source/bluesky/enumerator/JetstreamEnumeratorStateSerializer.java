package io.tidings.source.bluesky.enumerator;

import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import io.tidings.source.common.SingleSplitEnumeratorStateSerializer;
import org.apache.flink.annotation.Internal;

/** Version 1, as {@link SingleSplitEnumeratorStateSerializer} writes it, with the Jetstream split inside. */
@Internal
public final class JetstreamEnumeratorStateSerializer
        extends SingleSplitEnumeratorStateSerializer<JetstreamSplit, JetstreamEnumeratorState> {
    public static final int CURRENT_VERSION = VERSION_1;

    public JetstreamEnumeratorStateSerializer() {
        super("JetstreamEnumeratorState", new JetstreamSplitSerializer(), JetstreamEnumeratorState::new);
    }
}
