package io.tidings.job.rescore;

import io.tidings.records.Post;

/**
 * One row of a post that may be the one the views show, on its way to being scored again: the post
 * (scored by the new model once through the enrichment step), the row's place among its post's rows
 * ({@code version}, {@code scoredAt}: {@link LakePosts#version}, {@link LakePosts#scoredAt}), and
 * whether it is to be left as it is (already the new model's, or found not to be scored). A Flink POJO.
 */
public class RescoreCandidate {
    public Post post;
    public long version;
    public long scoredAt;
    public boolean leftAlone;

    public RescoreCandidate() {}

    RescoreCandidate(Post post, long version, long scoredAt, boolean leftAlone) {
        this.post = post;
        this.version = version;
        this.scoredAt = scoredAt;
        this.leftAlone = leftAlone;
    }

    /** Whether the views show this row rather than {@code other}: a newer version, or the same version scored later. */
    boolean shownOver(RescoreCandidate other) {
        return version != other.version ? version > other.version : scoredAt > other.scoredAt;
    }
}
