package io.tidings.records;

import java.io.Serializable;

/**
 * A deletion of a post, as a platform announced it (a Bluesky Jetstream delete, an X v1.1
 * {@code delete} notice, an X compliance-stream {@code delete} or batch compliance result): one row of the lake's {@code tombstones} table. The lake never rewrites
 * Parquet files, so a deleted post stays in {@code posts_all}; the {@code posts} and {@code
 * entities} views hide every post with a tombstone. A Flink POJO like {@link Post}.
 */
public class Tombstone implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code {platform}:{native id}} of the deleted post, as in {@link Post#postId}. */
    public String postId;
    /** {@code x}, {@code bluesky}, …: the part of {@link #postId} before the first colon. */
    public String platform;
    /** When the post was deleted (the platform's event time, else when tidings read the event), epoch milliseconds UTC. Decides the lake partition. */
    public long deletedAt;
    /** Which source the deletion came from, e.g. {@code file:/data/jetstream.jsonl} or {@code bluesky}. */
    public String source;

    public Tombstone() {}

    public Tombstone(String postId, long deletedAt, String source) {
        this.postId = postId;
        int colon = postId.indexOf(':');
        this.platform = colon > 0 ? postId.substring(0, colon) : null;
        this.deletedAt = deletedAt;
        this.source = source;
    }

    @Override
    public String toString() {
        return "Tombstone{" + postId + " at " + deletedAt + " from " + source + "}";
    }
}
