package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.array;
import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.count;
import static io.tidings.operators.normalize.RecordFields.distinct;
import static io.tidings.operators.normalize.RecordFields.has;
import static io.tidings.operators.normalize.RecordFields.number;
import static io.tidings.operators.normalize.RecordFields.object;
import static io.tidings.operators.normalize.RecordFields.optionalXId;
import static io.tidings.operators.normalize.RecordFields.optionalText;
import static io.tidings.operators.normalize.RecordFields.textsOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import java.util.List;
import java.util.Set;

/**
 * X (Twitter) API v1.1 status objects, as the old tweepy pipeline stored them and as archives of
 * that era hold them.
 *
 * <ul>
 *   <li>Id from {@code id_str}; the numeric {@code id} only when it is a true integer (some
 *       archives re-serialized it as a float that lost digits, and those are refused).
 *   <li>Text: {@code full_text} (extended mode), else {@code extended_tweet.full_text} for a
 *       truncated status, else {@code text}; entities come from the same object as the text.
 *       X's escapes {@code &amp;}, {@code &lt;}, {@code &gt;} are decoded ({@link XTextEscapes}).
 *   <li>Retweets ({@code retweeted_status}): kind {@code repost}, and the text and entities are the
 *       <em>original</em> post's full text, not the retweet's {@code RT @user: ...} which X cuts at
 *       140 characters. The author stays the retweeter.
 *   <li>Quotes ({@code quoted_status_id_str}) and replies ({@code in_reply_to_status_id_str}) fill
 *       their ids; the kind is repost, else quote, else reply, else post.
 *   <li>{@code urls} are {@code entities.urls[].expanded_url}; attached media links are not URLs.
 *   <li>Stream notices ({@code delete}, {@code limit}, {@code scrub_geo}, ...) are skipped;
 *       {@code delete} as a deletion of {@code x:{id}}.
 * </ul>
 */
final class XV1Dialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    /** Keys of the v1.1 streaming API's non-status messages. */
    private static final Set<String> NOTICES = Set.of(
            "delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
            "warning", "friends", "friends_str", "event", "for_user", "control");

    @Override
    public String name() {
        return "x-v1.1";
    }

    @Override
    public boolean recognises(ObjectNode root) {
        if (root.size() <= 2 && root.properties().stream().anyMatch(e -> NOTICES.contains(e.getKey()))) {
            return true;
        }
        boolean hasText = root.has("text") || root.has("full_text");
        return hasText && (root.has("id_str") || (root.get("user") != null && root.get("user").isObject()));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        if (!root.has("text") && !root.has("full_text")) {
            return List.of(notice(root));
        }
        Post post = new Post();
        post.platform = "x";
        post.nativeId = statusId(root, "id");
        post.createdAt = CreatedAtParser.twitterClassic(root, "created_at", "created_at");

        ObjectNode user = object(root, "user");
        post.authorId = optionalXId(user, "id_str");
        if (post.authorId == null) {
            post.authorId = optionalXId(user, "id");
        }
        post.authorHandle = optionalText(user, "screen_name");
        post.authorName = optionalText(user, "name");
        post.authorFollowers = count(user, "followers_count");
        post.authorLocation = optionalText(user, "location");

        ObjectNode retweeted = object(root, "retweeted_status");
        ObjectNode textSource = retweeted != null ? retweeted : root;
        // The text itself: a status that is a retweet gets the original's full text.
        TextAndEntities content = textAndEntities(textSource, retweeted != null ? "retweeted_status." : "");
        if (retweeted != null && content == null) {
            content = textAndEntities(root, "");
        }
        if (content == null) {
            RecordFields.requiredText(root, "text", "text"); // names the problem
            throw new RecordRejectedException("missing text");
        }
        post.text = XTextEscapes.decode(content.text);
        ObjectNode entities = content.entities;
        if (entities != null) {
            post.hashtags = distinct(textsOf(array(entities, "hashtags"), "text"));
            post.mentions = distinct(textsOf(array(entities, "user_mentions"), "screen_name"));
            post.urls = distinct(textsOf(array(entities, "urls"), "expanded_url"));
            post.cashtags = distinct(textsOf(array(entities, "symbols"), "text"));
        } else {
            post.hashtags = null;
            post.mentions = null;
            post.urls = null;
            post.cashtags = null;
        }

        post.replyToId = statusIdOrNull(root, "in_reply_to_status_id");
        post.quoteOfId = statusIdOrNull(root, "quoted_status_id");
        if (post.quoteOfId == null && object(root, "quoted_status") != null) {
            post.quoteOfId = statusIdOrNull(object(root, "quoted_status"), "id");
        }
        if (retweeted != null) {
            post.repostOfId = statusIdOrNull(retweeted, "id");
            post.kind = KIND_REPOST;
        } else if (post.quoteOfId != null) {
            post.kind = KIND_QUOTE;
        } else if (post.replyToId != null) {
            post.kind = KIND_REPLY;
        } else {
            post.kind = KIND_POST;
        }

        post.likeCount = count(root, "favorite_count");
        post.repostCount = count(root, "retweet_count");
        post.replyCount = count(root, "reply_count");
        post.quoteCount = count(root, "quote_count");
        post.lang = optionalText(root, "lang");
        post.geo = geo(root);
        post.url = XV2Dialect.url(post.authorHandle, post.nativeId);
        return List.of(NormalizeResult.post(post));
    }

    private static NormalizeResult notice(ObjectNode root) {
        ObjectNode delete = object(root, "delete");
        if (delete != null) {
            String id = statusIdOrNull(object(delete, "status"), "id");
            if (id != null) {
                return NormalizeResult.deletion("x:" + id, "X v1.1 delete notice for status " + id,
                        timestampMillis(delete));
            }
        }
        String key = root.fieldNames().next();
        return NormalizeResult.skip("X v1.1 " + RecordFields.quote(key) + " notice",
                "X v1.1 stream notice " + RecordFields.quote(key) + " is not a post");
    }

    /** A notice's {@code timestamp_ms} (a string of digits or a number), or null when it has none. */
    private static Long timestampMillis(ObjectNode notice) {
        JsonNode ts = child(notice, "timestamp_ms");
        if (ts == null) {
            return null;
        }
        if (ts.isIntegralNumber() && ts.canConvertToLong()) {
            return ts.longValue() > 0 ? ts.longValue() : null;
        }
        String text = ts.isTextual() ? ts.textValue() : null;
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long millis = Long.parseLong(text);
        return millis > 0 ? millis : null;
    }

    /** {@code {name}_str}, else an integer {@code {name}}; rejects when neither is usable. */
    private static String statusId(JsonNode node, String name) {
        if (has(node, name + "_str")) {
            return RecordFields.requiredXId(node, name + "_str", name + "_str");
        }
        return RecordFields.requiredXId(node, name, name);
    }

    private static String statusIdOrNull(JsonNode node, String name) {
        String id = optionalXId(node, name + "_str");
        return id != null ? id : optionalXId(node, name);
    }

    private static final class TextAndEntities {
        final String text;
        final ObjectNode entities;

        TextAndEntities(String text, ObjectNode entities) {
            this.text = text;
            this.entities = entities;
        }
    }

    /** The full text of a status and the entities that belong to it, or null when it has none. */
    private static TextAndEntities textAndEntities(ObjectNode status, String path) {
        JsonNode fullText = child(status, "full_text");
        if (fullText != null) {
            return new TextAndEntities(requireString(fullText, path + "full_text"), object(status, "entities"));
        }
        ObjectNode extended = object(status, "extended_tweet");
        if (extended != null && child(extended, "full_text") != null) {
            String text = requireString(child(extended, "full_text"), path + "extended_tweet.full_text");
            ObjectNode entities = object(extended, "entities");
            return new TextAndEntities(text, entities != null ? entities : object(status, "entities"));
        }
        JsonNode text = child(status, "text");
        if (text == null) {
            return null;
        }
        return new TextAndEntities(requireString(text, path + "text"), object(status, "entities"));
    }

    private static String requireString(JsonNode node, String label) {
        if (!node.isTextual()) {
            throw new RecordRejectedException(label + " is " + RecordFields.describe(node) + ", expected a string");
        }
        return node.textValue();
    }

    private static String geo(ObjectNode root) {
        Double lon = null;
        Double lat = null;
        ObjectNode coordinates = object(root, "coordinates");
        JsonNode point = coordinates == null ? null : array(coordinates, "coordinates");
        if (point != null && point.size() == 2) {
            lon = number(point.get(0));
            lat = number(point.get(1));
        }
        ObjectNode place = object(root, "place");
        return GeoJson.of(lon, lat, optionalText(place, "full_name"), optionalText(place, "id"),
                optionalText(place, "country_code"));
    }
}
