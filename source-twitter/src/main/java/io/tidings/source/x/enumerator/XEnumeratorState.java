package io.tidings.source.x.enumerator;

import java.util.Objects;
import java.util.Optional;
import io.tidings.source.x.split.XStreamSplit;
import org.apache.flink.annotation.Internal;

/**
 * What the enumerator checkpoints: whether the one split was created, and the split itself while it
 * waits to be (re)assigned. Once assigned, the split's position lives in the reader's state.
 */
@Internal
public final class XEnumeratorState {
    private final boolean splitCreated;
    private final XStreamSplit unassigned;

    public XEnumeratorState(boolean splitCreated, XStreamSplit unassigned) {
        this.splitCreated = splitCreated;
        this.unassigned = unassigned;
    }

    public static XEnumeratorState initial() {
        return new XEnumeratorState(false, null);
    }

    public boolean splitCreated() {
        return splitCreated;
    }

    public Optional<XStreamSplit> unassigned() {
        return Optional.ofNullable(unassigned);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XEnumeratorState s && splitCreated == s.splitCreated && Objects.equals(unassigned, s.unassigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitCreated, unassigned);
    }

    @Override
    public String toString() {
        return "XEnumeratorState{splitCreated=" + splitCreated + ", unassigned=" + unassigned + "}";
    }
}
