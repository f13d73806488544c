package io.tidings.source.common;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link SingleSplitEnumerator} checkpoints: whether the one split was created, and the split
 * itself while it waits to be (re)assigned. Once assigned, the split's position lives in the
 * reader's state. Each source names its own subclass, so that its state type says whose it is.
 */
@Internal
public class SingleSplitEnumeratorState<SplitT> {
    private final boolean splitCreated;
    private final SplitT unassigned;

    protected SingleSplitEnumeratorState(boolean splitCreated, SplitT unassigned) {
        this.splitCreated = splitCreated;
        this.unassigned = unassigned;
    }

    public boolean splitCreated() {
        return splitCreated;
    }

    public Optional<SplitT> unassigned() {
        return Optional.ofNullable(unassigned);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && splitCreated == ((SingleSplitEnumeratorState<?>) o).splitCreated
                && Objects.equals(unassigned, ((SingleSplitEnumeratorState<?>) o).unassigned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitCreated, unassigned);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{splitCreated=" + splitCreated + ", unassigned=" + unassigned + "}";
    }
}
