package io.tidings.source.bluesky.enumerator;

import java.util.Objects;
import java.util.Optional;
import io.tidings.source.bluesky.split.JetstreamSplit;
import org.apache.flink.annotation.Internal;

/**
 * What the enumerator checkpoints: whether the one split was created, and the split itself while it
 * waits to be (re)assigned. Once assigned, the split's position lives in the reader's state.
 */
@Internal
public final class JetstreamEnumeratorState {
    private final boolean splitCreated;
    private final JetstreamSplit unassigned;

    public JetstreamEnumeratorState(boolean splitCreated, JetstreamSplit unassigned) {
        this.splitCreated = splitCreated;
        this.unassigned = unassigned;
    }

    public static JetstreamEnumeratorState initial() {
        return new JetstreamEnumeratorState(false, null);
    }

    public boolean splitCreated() {
        return splitCreated;
    }

    public Optional<JetstreamSplit> unassigned() {
        return Optional.ofNullable(unassigned);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JetstreamEnumeratorState s && splitCreated == s.splitCreated && Objects.equals(unassigned, s.unassigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitCreated, unassigned);
    }

    @Override
    public String toString() {
        return "JetstreamEnumeratorState{splitCreated=" + splitCreated + ", unassigned=" + unassigned + "}";
    }
}
