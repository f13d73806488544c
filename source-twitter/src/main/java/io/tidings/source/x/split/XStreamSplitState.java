package io.tidings.source.x.split;

import org.apache.flink.annotation.Internal;

/**
 * The mutable position of the reader's split; the record emitter advances it after each record.
 * When the subscription started is fixed when the reader gets the split.
 */
@Internal
public final class XStreamSplitState {
    private final String splitId;
    private final long subscribedAt;
    private String newestPostId;
    private long newestSeenAt;

    public XStreamSplitState(XStreamSplit split) {
        this.splitId = split.splitId();
        this.subscribedAt = split.subscribedAt();
        this.newestPostId = split.newestPostId().orElse(null);
        this.newestSeenAt = split.newestSeenAt();
    }

    /** Moves the position to {@code postId} if it is newer than the current one. */
    public void advance(String postId, long seenAt) {
        if (postId == null) {
            return;
        }
        if (newestPostId == null || XStreamSplit.compareIds(postId, newestPostId) > 0) {
            newestPostId = postId;
            newestSeenAt = seenAt;
        }
    }

    public String splitId() {
        return splitId;
    }

    public String newestPostId() {
        return newestPostId;
    }

    public long newestSeenAt() {
        return newestSeenAt;
    }

    public long subscribedAt() {
        return subscribedAt;
    }

    public XStreamSplit toSplit() {
        return new XStreamSplit(splitId, newestPostId, newestSeenAt, subscribedAt);
    }
}
