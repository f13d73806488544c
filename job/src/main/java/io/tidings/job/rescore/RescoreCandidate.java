package io.tidings.job.rescore;

import io.tidings.records.Post;
import java.util.Objects;

/**
 * One row of a post that may be the one the views show, on its way to being scored again: the post
 * (scored by the new model once through the enrichment step), the row's place among its post's rows
 * ({@code version}, {@code scoredAt}: {@link LakePosts#version}, {@link LakePosts#scoredAt}), the
 * row's own {@code model_version} (kept apart: the enrichment overwrites the post's), and whether
 * it is left out of the model (it already has the new model's version). A Flink POJO.
 */
public class RescoreCandidate {
    public Post post;
    public long version;
    public long scoredAt;
    public boolean leftAlone;
    /** The row's {@code model_version} as read: null when the row was not scored. */
    public String rowModelVersion;
    /**
     * Whether the row as read holds any of issue 21's signals ({@link LakePosts#hasSignals}), kept
     * apart as the version is: the enrichment overwrites the post's. False in a candidate restored
     * from a checkpoint written before the field (its row is then taken for one without signals).
     */
    public boolean rowHasSignals;

    public RescoreCandidate() {}

    RescoreCandidate(Post post, long version, long scoredAt, boolean leftAlone, String rowModelVersion, boolean rowHasSignals) {
        this.post = post;
        this.version = version;
        this.scoredAt = scoredAt;
        this.leftAlone = leftAlone;
        this.rowModelVersion = rowModelVersion;
        this.rowHasSignals = rowHasSignals;
    }

    /** Whether the views show this row rather than {@code other}: a newer version, or the same version scored later. */
    boolean shownOver(RescoreCandidate other) {
        return version != other.version ? version > other.version : scoredAt > other.scoredAt;
    }

    /**
     * Whether a new row, once the post went through the enrichment step, would change nothing the
     * views show: it carries the scoring the row has, that is the same model's, or none at all (a
     * post no model of this pipeline scores, for its language or a blank text: {@code
     * PostEnricher}), and would differ from the row only in {@code scored_at}. Issue 21's signals
     * count apart: a row without them that the same model now scores with them (a lake scored
     * before the runtime read those heads) changes what the views show, and so does the reverse.
     */
    boolean changesNothing() {
        return Objects.equals(rowModelVersion, post.modelVersion) && rowHasSignals == LakePosts.hasSignals(post);
    }
}
