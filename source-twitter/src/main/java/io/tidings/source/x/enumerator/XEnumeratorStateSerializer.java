package io.tidings.source.x.enumerator;

import io.tidings.source.common.SingleSplitEnumeratorStateSerializer;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import org.apache.flink.annotation.Internal;

/** Version 1, as {@link SingleSplitEnumeratorStateSerializer} writes it, with the X split inside. */
@Internal
public final class XEnumeratorStateSerializer extends SingleSplitEnumeratorStateSerializer<XStreamSplit, XEnumeratorState> {
    public static final int CURRENT_VERSION = VERSION_1;

    public XEnumeratorStateSerializer() {
        super("XEnumeratorState", new XStreamSplitSerializer(), XEnumeratorState::new);
    }
}
