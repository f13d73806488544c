package io.tidings.source.bluesky.split;

import java.util.Objects;
import java.util.OptionalLong;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a Jetstream source: the WebSocket subscription, and how far it got (the {@code
 * time_us} of the newest event processed and emitted, in order). Immutable; {@link
 * JetstreamSplitState} is its mutable twin.
 */
@Internal
public final class JetstreamSplit implements SourceSplit {
    /** The id of the one split. */
    public static final String SPLIT_ID = "bluesky-jetstream-0";
    /** No event seen yet: subscribe live. */
    public static final long NO_CURSOR = -1L;

    private final String splitId;
    private final long lastTimeUs;

    public JetstreamSplit(String splitId, long lastTimeUs) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.lastTimeUs = lastTimeUs;
    }

    /** A split that has seen nothing yet. */
    public static JetstreamSplit fresh() {
        return new JetstreamSplit(SPLIT_ID, NO_CURSOR);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    /** {@code time_us} of the newest event emitted (or deliberately skipped), or {@link #NO_CURSOR}. */
    public long lastTimeUs() {
        return lastTimeUs;
    }

    public OptionalLong cursor() {
        return lastTimeUs < 0 ? OptionalLong.empty() : OptionalLong.of(lastTimeUs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JetstreamSplit s && splitId.equals(s.splitId) && lastTimeUs == s.lastTimeUs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, lastTimeUs);
    }

    @Override
    public String toString() {
        return "JetstreamSplit{" + splitId + ", lastTimeUs=" + lastTimeUs + "}";
    }
}
