package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.array;
import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.count;
import static io.tidings.operators.normalize.RecordFields.distinct;
import static io.tidings.operators.normalize.RecordFields.findById;
import static io.tidings.operators.normalize.RecordFields.number;
import static io.tidings.operators.normalize.RecordFields.object;
import static io.tidings.operators.normalize.RecordFields.optionalId;
import static io.tidings.operators.normalize.RecordFields.optionalXId;
import static io.tidings.operators.normalize.RecordFields.optionalText;
import static io.tidings.operators.normalize.RecordFields.textsOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X API v2 responses: a filtered-stream message ({@code data} is one post) or a search page
 * ({@code data} is an array of posts), with {@code includes} (users, tweets, places) and
 * {@code matching_rules}.
 *
 * <ul>
 *   <li>The author's handle, name, location and followers come from {@code includes.users} by
 *       {@code author_id}; the place name from {@code includes.places} by {@code geo.place_id}.
 *   <li>Long posts: {@code note_tweet.text} (with {@code note_tweet.entities}) replaces the cut
 *       {@code text}.
 *   <li>{@code referenced_tweets}: {@code retweeted} → repost, {@code quoted} → quote,
 *       {@code replied_to} → reply; kind repost, else quote, else reply. For a repost whose original
 *       is in {@code includes.tweets}, the text and entities are the original's full text (like the
 *       v1.1 dialect), otherwise the {@code RT @user: ...} text as received.
 *   <li>{@code created_at} is not a default field of X v2: a post without it gets the time its
 *       snowflake id encodes, and {@code createdAtDerived} says so.
 *   <li>Text: X's escapes {@code &amp;}, {@code &lt;}, {@code &gt;} decoded ({@link XTextEscapes}).
 *   <li>{@code urls} are {@code expanded_url}s, leaving out attached media (those with a
 *       {@code media_key}, or in 2021-22 payloads a {@code pic.twitter.com} display URL or a link
 *       to the post's own {@code /status/{id}/photo/1}), as v1.1 keeps media apart.
 *   <li>{@code matched_rules}: each matching rule's {@code tag}, or its {@code id} when untagged.
 *   <li>A message with {@code errors} and no {@code data} (e.g. operational-disconnect) is skipped.
 * </ul>
 */
final class XV2Dialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    /** X's snowflake epoch, 2010-11-04T01:42:54.657Z, in Unix milliseconds. */
    static final long SNOWFLAKE_EPOCH_MILLIS = 1288834974657L;
    /** A snowflake id's lowest 22 bits are worker and sequence numbers; the time is above them. */
    private static final int SNOWFLAKE_TIME_SHIFT = 22;
    /** The first snowflake post id (TweetedAt, oduwsdl): lower ids are sequential and hold no time. */
    static final long FIRST_SNOWFLAKE_ID = 29_700_859_247L;
    /** The expanded link of media attached to a post: {@code https://twitter.com/user/status/123/photo/1}. */
    private static final Pattern ATTACHED_MEDIA_URL = Pattern.compile(
            "https?://(?:(?:www|mobile)\\.)?(?:twitter|x)\\.com/[^/?#]+/status/(\\d+)/(?:photo|video)/\\d+/?");

    @Override
    public String name() {
        return "x-v2";
    }

    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("data") || (root.has("errors") && !root.has("id") && !root.has("text"));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        JsonNode data = child(root, "data");
        if (data == null) {
            if (child(root, "errors") != null) {
                return List.of(NormalizeResult.skip("X v2 message without data", "X v2 message without data: " + errorTitle(root)));
            }
            throw new RecordRejectedException("data is null");
        }
        ObjectNode includes = object(root, "includes");
        String[] rules = matchingRules(root);
        List<NormalizeResult> results = new ArrayList<>();
        if (data.isObject()) {
            results.add(NormalizeResult.post(post((ObjectNode) data, "data.", includes, rules)));
        } else if (data.isArray()) {
            if (data.isEmpty()) {
                return List.of(NormalizeResult.skip("X v2 page with no posts", "X v2 page with no posts"));
            }
            for (int i = 0; i < data.size(); i++) {
                String path = "data[" + i + "].";
                JsonNode element = data.get(i);
                try {
                    if (!element.isObject()) {
                        throw new RecordRejectedException(
                                "data[" + i + "] is " + RecordFields.describe(element) + ", expected an object");
                    }
                    results.add(NormalizeResult.post(post((ObjectNode) element, path, includes, rules)));
                } catch (RecordRejectedException e) {
                    results.add(NormalizeResult.reject(e.getMessage()));
                }
            }
        } else {
            throw new RecordRejectedException(
                    "data is " + RecordFields.describe(data) + ", expected an object or an array");
        }
        return results;
    }

    private static Post post(ObjectNode tweet, String path, ObjectNode includes, String[] rules) {
        Post post = new Post();
        post.platform = "x";
        post.nativeId = RecordFields.requiredXId(tweet, "id", path + "id");
        if (child(tweet, "created_at") != null) {
            post.createdAt = CreatedAtParser.iso(tweet, "created_at", path + "created_at");
        } else {
            // Not a default field of X v2 (those are id, text, edit_history_tweet_ids), so real
            // collections often lack it; the snowflake id holds the creation millisecond.
            post.createdAt = snowflakeMillis(post.nativeId, path);
            post.createdAtDerived = true;
        }

        post.authorId = optionalXId(tweet, "author_id");
        ObjectNode user = findById(array(includes, "users"), "id", post.authorId);
        post.authorHandle = optionalText(user, "username");
        post.authorName = optionalText(user, "name");
        post.authorLocation = optionalText(user, "location");
        post.authorFollowers = count(object(user, "public_metrics"), "followers_count");

        for (JsonNode reference : iterable(array(tweet, "referenced_tweets"))) {
            String type = optionalText(reference, "type");
            String id = optionalXId(reference, "id");
            if (type == null || id == null) {
                continue;
            }
            switch (type) {
                case "retweeted":
                    post.repostOfId = id;
                    break;
                case "quoted":
                    post.quoteOfId = id;
                    break;
                case "replied_to":
                    post.replyToId = id;
                    break;
                default:
                    break;
            }
        }
        post.kind = post.repostOfId != null ? KIND_REPOST
                : post.quoteOfId != null ? KIND_QUOTE
                : post.replyToId != null ? KIND_REPLY
                : KIND_POST;

        ObjectNode original = post.repostOfId == null ? null
                : findById(array(includes, "tweets"), "id", post.repostOfId);
        ObjectNode textSource = original != null && child(original, "text") != null ? original : tweet;
        String textPath = textSource == tweet ? path : "includes.tweets[id=" + post.repostOfId + "].";
        ObjectNode note = object(textSource, "note_tweet");
        ObjectNode entities;
        if (note != null && child(note, "text") != null) {
            post.text = XTextEscapes.decode(RecordFields.requiredText(note, "text", textPath + "note_tweet.text"));
            entities = object(note, "entities");
        } else {
            post.text = XTextEscapes.decode(RecordFields.requiredText(textSource, "text", textPath + "text"));
            entities = object(textSource, "entities");
        }
        if (entities != null) {
            post.hashtags = distinct(textsOf(array(entities, "hashtags"), "tag"));
            post.mentions = distinct(textsOf(array(entities, "mentions"), "username"));
            post.cashtags = distinct(textsOf(array(entities, "cashtags"), "tag"));
            List<String> urls = new ArrayList<>();
            for (JsonNode url : iterable(array(entities, "urls"))) {
                String expanded = optionalText(url, "expanded_url");
                if (isAttachedMedia(url, expanded, optionalXId(textSource, "id"))) {
                    continue;
                }
                urls.add(expanded != null ? expanded : optionalText(url, "url"));
            }
            post.urls = distinct(urls);
        } else {
            post.hashtags = null;
            post.mentions = null;
            post.urls = null;
            post.cashtags = null;
        }

        ObjectNode metrics = object(tweet, "public_metrics");
        post.likeCount = count(metrics, "like_count");
        post.repostCount = count(metrics, "retweet_count");
        post.replyCount = count(metrics, "reply_count");
        post.quoteCount = count(metrics, "quote_count");
        post.lang = optionalText(tweet, "lang");
        post.geo = geo(object(tweet, "geo"), includes);
        post.matchedRules = rules;
        post.url = url(post.authorHandle, post.nativeId);
        return post;
    }

    /**
     * Whether a URL entity is the link to a photo, video or GIF attached to the post (which X puts
     * at the end of the text) rather than a link the author shared. Current payloads mark those
     * with a {@code media_key}; those of 2021-22 do not, and are known by their {@code display_url}
     * ({@code pic.twitter.com/...}, later {@code pic.x.com/...}) or their {@code expanded_url}
     * ({@code https://twitter.com/{user}/status/{id}/photo/1}, {@code .../video/1}, {@code id}
     * the post's own).
     */
    private static boolean isAttachedMedia(JsonNode url, String expanded, String postId) {
        if (child(url, "media_key") != null) {
            return true;
        }
        String display = optionalText(url, "display_url");
        if (display != null && (display.startsWith("pic.twitter.com/") || display.startsWith("pic.x.com/"))) {
            return true;
        }
        // A link to another post's photo is one the author shared: only the post's own counts.
        Matcher media = expanded == null ? null : ATTACHED_MEDIA_URL.matcher(expanded);
        return media != null && media.matches() && media.group(1).equals(postId);
    }

    /**
     * The creation time a snowflake id encodes: milliseconds since X's epoch in the bits above the
     * lowest 22. Ids below {@value #FIRST_SNOWFLAKE_ID} were handed out in sequence before
     * November 2010 and encode no time, so a post with one of those and no {@code created_at} is
     * refused.
     */
    static long snowflakeMillis(String id, String path) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RecordRejectedException("missing " + path + "created_at, and id " + RecordFields.quote(id)
                    + " is not a number to derive the time from");
        }
        if (number < FIRST_SNOWFLAKE_ID) {
            throw new RecordRejectedException("missing " + path + "created_at, and id " + id
                    + " predates snowflake ids (November 2010), so it holds no time");
        }
        return (number >> SNOWFLAKE_TIME_SHIFT) + SNOWFLAKE_EPOCH_MILLIS;
    }

    /** {@code https://x.com/{handle}/status/{id}}, or the handle-less form X also serves. */
    static String url(String handle, String id) {
        if (handle != null && handle.matches("[A-Za-z0-9_]{1,50}")) {
            return "https://x.com/" + handle + "/status/" + id;
        }
        return "https://x.com/i/web/status/" + id;
    }

    private static String[] matchingRules(ObjectNode root) {
        List<String> rules = new ArrayList<>();
        for (JsonNode rule : iterable(array(root, "matching_rules"))) {
            String tag = optionalText(rule, "tag");
            String value = tag != null ? tag : optionalId(rule, "id");
            if (value != null) {
                rules.add(value);
            }
        }
        return distinct(rules);
    }

    private static String geo(ObjectNode geo, ObjectNode includes) {
        if (geo == null) {
            return null;
        }
        String placeId = optionalText(geo, "place_id");
        ObjectNode place = findById(array(includes, "places"), "id", placeId);
        Double lon = null;
        Double lat = null;
        JsonNode point = array(object(geo, "coordinates"), "coordinates");
        if (point != null && point.size() == 2) {
            lon = number(point.get(0));
            lat = number(point.get(1));
        }
        return GeoJson.of(lon, lat, optionalText(place, "full_name"), placeId, optionalText(place, "country_code"));
    }

    private static String errorTitle(ObjectNode root) {
        JsonNode errors = child(root, "errors");
        JsonNode first = errors != null && errors.isArray() && !errors.isEmpty() ? errors.get(0) : null;
        String title = optionalText(first, "title");
        return title == null ? "errors" : RecordFields.quote(title);
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array == null ? List.of() : array;
    }
}
