package io.tidings.operators.normalize;

import io.tidings.records.Post;
import java.util.Objects;

/**
 * What became of one input document: a {@link Post}, a deliberate skip, or a rejection.
 *
 * <p>The three outcomes are kept apart because they go to different places: posts flow on,
 * rejections become dead letters (bad input never disappears), and skips are only counted. A skip
 * is input that is valid but is not a post: a Bluesky like or profile update, an X stream system
 * message, or a deletion. Deletions carry the {@link #deletedPostId()} of the post they remove so a
 * later operator can act on them; today they are skipped like the rest.
 */
public final class NormalizeResult {

    /** Which of the three outcomes this is. */
    public enum Outcome {
        POST,
        SKIP,
        REJECT
    }

    private final Outcome outcome;
    private final Post post;
    private final String reason;
    private final String deletedPostId;

    private NormalizeResult(Outcome outcome, Post post, String reason, String deletedPostId) {
        this.outcome = outcome;
        this.post = post;
        this.reason = reason;
        this.deletedPostId = deletedPostId;
    }

    public static NormalizeResult post(Post post) {
        return new NormalizeResult(Outcome.POST, Objects.requireNonNull(post, "post"), null, null);
    }

    public static NormalizeResult skip(String reason) {
        return new NormalizeResult(Outcome.SKIP, null, Objects.requireNonNull(reason, "reason"), null);
    }

    /** A skip for a deletion of the post with the given {@code {platform}:{native id}}. */
    public static NormalizeResult deletion(String deletedPostId, String reason) {
        return new NormalizeResult(
                Outcome.SKIP,
                null,
                Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(deletedPostId, "deletedPostId"));
    }

    public static NormalizeResult reject(String reason) {
        return new NormalizeResult(Outcome.REJECT, null, Objects.requireNonNull(reason, "reason"), null);
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean isPost() {
        return outcome == Outcome.POST;
    }

    public boolean isSkip() {
        return outcome == Outcome.SKIP;
    }

    public boolean isRejected() {
        return outcome == Outcome.REJECT;
    }

    /** The post; non-null exactly when {@link #isPost()}. */
    public Post post() {
        return post;
    }

    /** Why the record was skipped or rejected, in words a person can act on; null for posts. */
    public String reason() {
        return reason;
    }

    /** For a deletion skip: the {@code post_id} of the deleted post; otherwise null. */
    public String deletedPostId() {
        return deletedPostId;
    }

    @Override
    public String toString() {
        switch (outcome) {
            case POST:
                return "POST " + post;
            case SKIP:
                return "SKIP " + reason + (deletedPostId == null ? "" : " (deletes " + deletedPostId + ")");
            default:
                return "REJECT " + reason;
        }
    }
}
