package io.tidings.job.rescore;

import io.tidings.records.Post;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One row of a post that may be the one the views show, on its way to being scored again: the post
 * (scored by the new model once through the enrichment step), the row's place among its post's rows
 * ({@code version}, {@code scoredAt}: {@link LakePosts#version}, {@link LakePosts#scoredAt}), the
 * row's own {@code model_version} and signals (kept apart: the enrichment overwrites the post's),
 * and whether it is left out of the model (it already has the new model's version and every signal
 * the model gives). A Flink POJO, kept in checkpoints (the async step's posts in flight, {@link
 * ShownVersion}'s state): a field added later must be one a candidate restored without it can do
 * without.
 */
public class RescoreCandidate {
    public Post post;
    public long version;
    public long scoredAt;
    public boolean leftAlone;
    /** The row's {@code model_version} as read: null when the row was not scored. */
    public String rowModelVersion;
    /**
     * Whether the row as read holds any of issue 21's signals ({@link LakePosts#hasSignals}). False in
     * a candidate restored from a checkpoint written before the field (its row is then taken for one
     * without signals). Superseded by {@link #rowSignals}, and still set: it is all a candidate
     * restored from a checkpoint written before that field knows of its row's signals.
     */
    public boolean rowHasSignals;
    /**
     * Which of issue 21's signals the row as read holds ({@link LakePosts#signals}), kept apart as the
     * version is: the enrichment overwrites the post's. An array of the keys, as {@link Post}'s lists
     * are: a type with a serializer of Flink's own, not Kryo (RescoreCandidateTest). Null in a
     * candidate restored from a checkpoint written before the field: {@link #changesNothing} then
     * goes by {@link #rowHasSignals}, the rule that candidate was made under.
     */
    public String[] rowSignals;

    public RescoreCandidate() {}

    RescoreCandidate(Post post, long version, long scoredAt, boolean leftAlone, String rowModelVersion, Set<String> rowSignals) {
        this.post = post;
        this.version = version;
        this.scoredAt = scoredAt;
        this.leftAlone = leftAlone;
        this.rowModelVersion = rowModelVersion;
        this.rowHasSignals = !rowSignals.isEmpty();
        this.rowSignals = rowSignals.toArray(String[]::new);
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
     * count apart, each of them: a row without some of them that the same model now scores with them
     * (a lake scored before the runtime read those heads, or by a config of the same version that
     * listed fewer) changes what the views show, and so does the reverse.
     */
    boolean changesNothing() {
        if (!Objects.equals(rowModelVersion, post.modelVersion)) {
            return false;
        }
        Set<String> now = LakePosts.signals(post);
        if (rowSignals == null) {
            // Restored from a checkpoint written before rowSignals, so made by the NewerRows of then,
            // which left alone every row of the model's version with any signal: a candidate of that
            // version sent to the model had none (the comparison below is then exact), and one left
            // alone is its row unchanged. A row of that run that held only some of the model's
            // signals stays as it is; the next rescore fills them.
            return rowHasSignals == !now.isEmpty();
        }
        return Set.copyOf(List.of(rowSignals)).equals(now);
    }
}
