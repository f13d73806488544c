package io.tidings.source.x.split;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of an X source: the stream connection, and how far it got (the newest post id
 * emitted and when it was received). Immutable; {@link XStreamSplitState} is its mutable twin.
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

    public XStreamSplit(String splitId, String newestPostId, long newestSeenAt) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.newestPostId = newestPostId;
        this.newestSeenAt = newestSeenAt;
    }

    /** A split that has seen nothing yet. */
    public static XStreamSplit fresh() {
        return new XStreamSplit(STREAM_SPLIT_ID, null, NO_TIME);
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
        return o instanceof XStreamSplit s && splitId.equals(s.splitId)
                && Objects.equals(newestPostId, s.newestPostId) && newestSeenAt == s.newestSeenAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, newestPostId, newestSeenAt);
    }

    @Override
    public String toString() {
        return "XStreamSplit{" + splitId + ", newestPostId=" + newestPostId + ", newestSeenAt=" + newestSeenAt + "}";
    }
}
