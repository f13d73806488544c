package io.tidings.source.x.split;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of an X source: the stream connection, when the subscription started, and how far
 * it got (the newest post id emitted and when it was received). Immutable; {@link
 * XStreamSplitState} is its mutable twin.
 */
@Internal
public final class XStreamSplit implements SourceSplit {
    /** The id of the one split. */
    public static final String STREAM_SPLIT_ID = "x-stream-0";
    /** No time seen yet. */
    public static final long NO_TIME = -1L;

    private final String splitId;
    private final String newestPostId;
    private final long newestSeenAt;
    private final long subscribedAt;

    public XStreamSplit(String splitId, String newestPostId, long newestSeenAt, long subscribedAt) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.newestPostId = newestPostId;
        this.newestSeenAt = newestSeenAt;
        this.subscribedAt = subscribedAt;
    }

    /** A split that has seen nothing yet and has not started: the reader that gets it stamps the start. */
    public static XStreamSplit fresh() {
        return new XStreamSplit(STREAM_SPLIT_ID, null, NO_TIME, NO_TIME);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    /** The newest (largest) post id emitted, empty before the first. Gap fill uses it as {@code since_id}. */
    public Optional<String> newestPostId() {
        return Optional.ofNullable(newestPostId);
    }

    /** When that post was received, epoch milliseconds, or {@link #NO_TIME}. */
    public long newestSeenAt() {
        return newestSeenAt;
    }

    /**
     * When the subscription started (the first reader got the fresh split), epoch milliseconds, or
     * {@link #NO_TIME} for a fresh split (and one from a version-1 checkpoint). Before the first post,
     * gap fill searches from here ({@code start_time}).
     */
    public long subscribedAt() {
        return subscribedAt;
    }

    /** Whether the subscription has started: false for a fresh split, which the reader then stamps. */
    public boolean hasStarted() {
        return subscribedAt != NO_TIME;
    }

    /**
     * Whether the subscription starts with the reader that gets this split: it has not started and saw
     * nothing. A split from a checkpoint is not fresh, nor one from a version-1 checkpoint with a position.
     */
    public boolean isFresh() {
        return !hasStarted() && newestPostId == null;
    }

    /** This split with the subscription's start, if it has none yet. */
    public XStreamSplit startedAt(long epochMillis) {
        return hasStarted() ? this : new XStreamSplit(splitId, newestPostId, newestSeenAt, epochMillis);
    }

    /**
     * Orders X post ids (decimal snowflakes up to 2^63): by length, then digit by digit; never
     * parses them, so odd ids cannot throw.
     */
    public static int compareIds(String a, String b) {
        if (a.length() != b.length()) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XStreamSplit s && splitId.equals(s.splitId) && Objects.equals(newestPostId, s.newestPostId)
                && newestSeenAt == s.newestSeenAt && subscribedAt == s.subscribedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, newestPostId, newestSeenAt, subscribedAt);
    }

    @Override
    public String toString() {
        return "XStreamSplit{" + splitId + ", newestPostId=" + newestPostId + ", newestSeenAt=" + newestSeenAt
                + ", subscribedAt=" + subscribedAt + "}";
    }
}
