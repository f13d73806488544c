package io.tidings.records;

import java.io.Serializable;

/**
 * The one record every platform's post becomes, and one row of the lake's {@code posts} table
 * (see {@code ../shared/DESIGN.md}). A Flink POJO: public fields, a public no-argument
 * constructor. Arrays are {@code String[]} rather than lists so Flink serializes them without
 * falling back to Kryo.
 *
 * <p>Fields the platform did not give are {@code null}; the enrichment fields stay {@code null}
 * when the models did not score the post (not English, or no text).
 */
public class Post implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code {platform}:{native id}}: the key of the lake and of de-duplication. */
    public String postId;
    /** {@code x}, {@code bluesky}, {@code mastodon} or {@code generic}. */
    public String platform;
    public String nativeId;
    public String url;
    /** When the post was created, epoch milliseconds UTC. Decides the lake partition. */
    public long createdAt;
    /**
     * Whether {@link #createdAt} was derived from the post's id instead of given by the platform:
     * an X post fetched without {@code created_at} (not a default field of X API v2) gets the
     * millisecond its snowflake id encodes.
     */
    public boolean createdAtDerived;
    /** When tidings read it, epoch milliseconds UTC. */
    public long ingestedAt;
    /**
     * Which version of the post this is: when it was last edited, epoch milliseconds UTC, or
     * {@code null} for a post as first published (never edited, or a platform without edits).
     * Mastodon's {@code edited_at}: an edit ({@code status.update}) is the same post id with a
     * newer {@code editedAt}; the lake keeps every version and its views show the newest.
     */
    public Long editedAt;

    public String authorId;
    public String authorHandle;
    public String authorName;
    public Long authorFollowers;
    public String authorLocation;

    /**
     * The text as received (for reposts: the reposted text when the platform gives it), with one
     * change so that it means the same on every platform: X's HTML escapes ({@code &amp;},
     * {@code &lt;}, {@code &gt;}) decoded, as Mastodon's HTML is.
     */
    public String text;
    /** {@code post}, {@code reply}, {@code repost} or {@code quote}. */
    public String kind;
    public String replyToId;
    public String quoteOfId;
    public String repostOfId;

    public Long likeCount;
    public Long repostCount;
    public Long replyCount;
    public Long quoteCount;

    public String[] hashtags = new String[0];
    /** Handles of the mentioned accounts, without {@code @}, on every platform. */
    public String[] mentions = new String[0];
    /**
     * The mentioned accounts' DIDs, on Bluesky, whose mention facets name accounts by DID (the
     * handles in {@link #mentions} are read from the text the facets point at); empty elsewhere.
     */
    public String[] mentionDids = new String[0];
    public String[] urls = new String[0];
    public String[] cashtags = new String[0];

    /** The language the platform declared, if any (BCP-47 or ISO 639-1 as given). */
    public String lang;
    /** ISO 639-1 code found by language identification, or {@code null} when undecided. */
    public String langDetected;
    public Double langConfidence;
    /** Place or coordinates as a small JSON object, when the platform gives them. */
    public String geo;
    public String[] matchedRules = new String[0];

    /** {@code negative}, {@code neutral}, {@code positive}, or {@code null} when not scored. */
    public String sentiment;
    /** Probability of the chosen sentiment label. */
    public Double sentimentScore;
    public Double pNegative;
    public Double pNeutral;
    public Double pPositive;
    /** Name and version of the model that scored the post. */
    public String modelVersion;

    // Issue 21's signals, from models with those heads (the bundled one); null when the post was not
    // scored or the model has no such head. Added after the first lakes and checkpoints: a Post
    // restored from a checkpoint written before them has them null.
    /** {@code anger}, {@code joy}, {@code optimism} or {@code sadness}: the most probable emotion. */
    public String emotion;
    /** Probability of {@link #emotion}. */
    public Double emotionScore;
    /** Whether the post is offensive: {@link #offensiveScore} at least 0.5. */
    public Boolean offensive;
    /** Probability that the post is offensive. */
    public Double offensiveScore;
    /** Whether the post is hateful: {@link #hateScore} at least 0.5. */
    public Boolean hate;
    /** Probability that the post is hateful. */
    public Double hateScore;
    /** Whether the post is ironic: {@link #ironyScore} at least 0.5. */
    public Boolean irony;
    /** Probability that the post is ironic. */
    public Double ironyScore;

    /** Entity mentions found by the models; written to the {@code entities} table, not {@code posts}. */
    public EntityMention[] entities = new EntityMention[0];

    /**
     * Leaves the post unscored: no sentiment, entities, signals or model version (language fields
     * stay). For a post its model did not score, or failed on: a rescored post comes in with its old
     * row's answers, which no model now vouches for.
     */
    public void clearModelAnswers() {
        sentiment = null;
        sentimentScore = null;
        pNegative = null;
        pNeutral = null;
        pPositive = null;
        modelVersion = null;
        entities = new EntityMention[0];
        emotion = null;
        emotionScore = null;
        offensive = null;
        offensiveScore = null;
        hate = null;
        hateScore = null;
        irony = null;
        ironyScore = null;
    }

    public Post() {}

    @Override
    public String toString() {
        return "Post{" + postId + ", kind=" + kind + ", sentiment=" + sentiment + ", text='"
                + (text == null ? null : text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'}";
    }
}
