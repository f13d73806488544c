package io.tidings.operators.normalize;

import io.tidings.records.Post;
import java.util.Objects;

/**
 * What became of one input document: a {@link Post}, a deliberate skip, or a rejection.
 *
 * <p>The three outcomes are kept apart because they go to different places: posts flow on,
 * rejections become dead letters (bad input never disappears), and skips are counted by their
 * {@link #kind()} (the run's summary lists the kinds, the log has one full reason of each). A skip
 * is input that is valid but is not a post: a Bluesky like or profile update, an X stream system
 * message, or a deletion. Deletions carry the {@link #deletedPostId()} of the post they remove (and,
 * when the event says, {@link #deletedAt()}); {@code NormalizeFunction} turns them into tombstones.
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
    private final String kind;
    private final String deletedPostId;
    private final Long deletedAt;

    private NormalizeResult(Outcome outcome, Post post, String reason, String kind, String deletedPostId, Long deletedAt) {
        this.outcome = outcome;
        this.post = post;
        this.reason = reason;
        this.kind = kind;
        this.deletedPostId = deletedPostId;
        this.deletedAt = deletedAt;
    }

    public static NormalizeResult post(Post post) {
        return new NormalizeResult(Outcome.POST, Objects.requireNonNull(post, "post"), null, null, null, null);
    }

    /**
     * A record that is valid but holds no post. {@code kind} names what it was in a few words that do
     * not change from one record to the next ("X compliance tweet_edit", not the post id), so that
     * skips can be counted by kind; {@code reason} says it in full for this record.
     */
    public static NormalizeResult skip(String kind, String reason) {
        return new NormalizeResult(Outcome.SKIP, null, Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(kind, "kind"), null, null);
    }

    /** A skip for a deletion of the post with the given {@code {platform}:{native id}}. */
    public static NormalizeResult deletion(String deletedPostId, String reason) {
        return deletion(deletedPostId, reason, null);
    }

    /**
     * A skip for a deletion of the post with the given {@code {platform}:{native id}}, which the
     * platform says happened at {@code deletedAt} (epoch milliseconds; null when the event does not say).
     */
    public static NormalizeResult deletion(String deletedPostId, String reason, Long deletedAt) {
        return new NormalizeResult(
                Outcome.SKIP,
                null,
                Objects.requireNonNull(reason, "reason"),
                "deletion",
                Objects.requireNonNull(deletedPostId, "deletedPostId"),
                deletedAt);
    }

    public static NormalizeResult reject(String reason) {
        return new NormalizeResult(Outcome.REJECT, null, Objects.requireNonNull(reason, "reason"), null, null, null);
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

    /** For a skip: what kind of record it was, in words shared by all records of that kind; otherwise null. */
    public String kind() {
        return kind;
    }

    /** For a deletion skip: the {@code post_id} of the deleted post; otherwise null. */
    public String deletedPostId() {
        return deletedPostId;
    }

    /** For a deletion skip: when the platform says the post was deleted, epoch milliseconds; else null. */
    public Long deletedAt() {
        return deletedAt;
    }

    /** Whether this is a deletion (a skip with a {@link #deletedPostId()}). */
    public boolean isDeletion() {
        return deletedPostId != null;
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
