package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.array;
import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.distinct;
import static io.tidings.operators.normalize.RecordFields.object;
import static io.tidings.operators.normalize.RecordFields.optionalText;
import static io.tidings.operators.normalize.RecordFields.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Bluesky Jetstream events ({@code {did, time_us, kind, commit|identity|account}}).
 *
 * <ul>
 *   <li>Only {@code commit} events that create (or update) an {@code app.bsky.feed.post} become
 *       posts. Deletes of posts are deletions of {@code bluesky:{did}/{rkey}}; every other
 *       collection (likes, reposts, follows, profiles) and kind (identity, account) is skipped.
 *   <li>native_id is {@code {did}/{rkey}}: unique, stable, and the two parts of the post's web URL
 *       {@code https://bsky.app/profile/{did}/post/{rkey}}. Ids of replied-to and quoted posts
 *       ({@code at://{did}/app.bsky.feed.post/{rkey}} URIs) are written in the same form, so they
 *       join with post ids; URIs of other records are kept as received.
 *   <li>author_id is the DID; the event carries no handle or name.
 *   <li>Facets: {@code #tag} → hashtags, {@code #mention} → mentions and mention_dids,
 *       {@code #link} → urls. A mention facet names the account by DID; its handle, which every
 *       other platform's mentions hold, is the {@code @handle} in the text at the facet's byte
 *       range, so mentions get the handle and mention_dids the DID, as parallel lists (one entry
 *       per distinct DID; a facet whose range holds no {@code @handle} puts its DID in both, a
 *       facet without a DID is not a mention). A post with no facets (or facets that are not a
 *       list) gets hashtags and urls found in its text, mentions = the {@code @handle}s of its text
 *       (handles are domain names: {@code @kim.test}, not {@code kim}) and no mention_dids.
 *   <li>Quotes: {@code embed} of type {@code app.bsky.embed.record} or {@code recordWithMedia}
 *       pointing at a post. Replies: {@code reply.parent.uri}.
 *   <li>created_at is the record's {@code createdAt}, which the client chose; lang is
 *       {@code langs[0]}.
 * </ul>
 */
final class BlueskyJetstreamDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    static final String POST_COLLECTION = "app.bsky.feed.post";
    private static final String AT_POST_PREFIX = "/" + POST_COLLECTION + "/";
    /** An AT Protocol handle: a domain name, e.g. {@code alice.bsky.social}. */
    /** An {@code @handle} in running text: not inside a word or an e-mail address, at least one dot, no trailing dot. */
    private static final Pattern TEXT_HANDLE = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.@])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)");
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    @Override
    public String name() {
        return "bluesky-jetstream";
    }

    /** The event's {@code time_us} in milliseconds, or null when it is missing or not a positive integer. */
    private static Long eventMillis(ObjectNode root) {
        JsonNode timeUs = child(root, "time_us");
        return timeUs != null && timeUs.canConvertToLong() && timeUs.isIntegralNumber() && timeUs.longValue() > 0
                ? timeUs.longValue() / 1000
                : null;
    }

    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("did") && (root.has("kind") || root.has("time_us") || root.has("commit"));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        String did = RecordFields.requiredText(root, "did", "did");
        if (!did.startsWith("did:")) {
            throw new RecordRejectedException("did " + RecordFields.quote(did) + " is not a DID");
        }
        RecordFields.checkId(did, "did");
        String kind = optionalText(root, "kind");
        ObjectNode commit = object(root, "commit");
        if (kind != null && !kind.equals("commit")) {
            return List.of(NormalizeResult.skip("Bluesky " + RecordFields.quote(kind) + " event",
                    "Bluesky " + RecordFields.quote(kind) + " event is not a post"));
        }
        if (commit == null) {
            throw new RecordRejectedException(child(root, "commit") == null
                    ? "missing commit"
                    : "commit is " + RecordFields.describe(child(root, "commit")) + ", expected an object");
        }
        String collection = optionalText(commit, "collection");
        String operation = optionalText(commit, "operation");
        if (!POST_COLLECTION.equals(collection)) {
            String to = collection == null ? "no collection" : RecordFields.quote(collection);
            return List.of(NormalizeResult.skip("Bluesky commit to " + to, "Bluesky commit to " + to + " is not a post"));
        }
        String rkey = RecordFields.checkId(RecordFields.requiredText(commit, "rkey", "commit.rkey"), "commit.rkey");
        String nativeId = did + "/" + rkey;
        if ("delete".equals(operation)) {
            return List.of(NormalizeResult.deletion("bluesky:" + nativeId, "Bluesky delete of post " + nativeId,
                    eventMillis(root)));
        }
        if (!"create".equals(operation) && !"update".equals(operation)) {
            throw new RecordRejectedException("commit.operation "
                    + (operation == null ? "is missing" : RecordFields.quote(operation) + " is unknown"));
        }
        JsonNode recordNode = child(commit, "record");
        if (recordNode == null || !recordNode.isObject()) {
            throw new RecordRejectedException(recordNode == null
                    ? "missing commit.record"
                    : "commit.record is " + RecordFields.describe(recordNode) + ", expected an object");
        }
        ObjectNode record = (ObjectNode) recordNode;

        Post post = new Post();
        post.platform = "bluesky";
        post.nativeId = nativeId;
        post.url = "https://bsky.app/profile/" + did + "/post/" + rkey;
        post.authorId = did;
        post.text = RecordFields.requiredText(record, "text", "commit.record.text");
        post.createdAt = CreatedAtParser.iso(record, "createdAt", "commit.record.createdAt");
        List<String> langs = strings(array(record, "langs"));
        post.lang = langs.isEmpty() ? null : langs.get(0);

        post.replyToId = postId(optionalText(object(object(record, "reply"), "parent"), "uri"));
        post.quoteOfId = quotedPost(object(record, "embed"));
        post.kind = post.quoteOfId != null ? KIND_QUOTE : post.replyToId != null ? KIND_REPLY : KIND_POST;

        JsonNode facets = array(record, "facets");
        if (facets != null) {
            List<String> tags = new ArrayList<>();
            List<String> mentions = new ArrayList<>();
            List<String> mentionDids = new ArrayList<>();
            List<String> links = new ArrayList<>();
            byte[] utf8 = post.text.getBytes(StandardCharsets.UTF_8);
            for (JsonNode facet : facets) {
                JsonNode features = array(facet, "features");
                if (features == null) {
                    continue;
                }
                for (JsonNode feature : features) {
                    String type = optionalText(feature, "$type");
                    if (type == null) {
                        continue;
                    }
                    switch (type) {
                        case "app.bsky.richtext.facet#tag":
                            String tag = optionalText(feature, "tag");
                            tags.add(tag != null && tag.startsWith("#") ? tag.substring(1) : tag);
                            break;
                        case "app.bsky.richtext.facet#mention":
                            // mentions[i] and mention_dids[i] are the same mention: one entry per
                            // distinct DID, in both lists or in neither.
                            String mentioned = optionalText(feature, "did");
                            if (mentioned == null || !mentioned.startsWith("did:") || mentionDids.contains(mentioned)
                                    || mentionDids.size() >= RecordFields.MAX_ENTITIES) {
                                break;
                            }
                            String handle = mentionedHandle(utf8, object(facet, "index"));
                            mentionDids.add(mentioned);
                            // A range that holds no @handle (a broken facet) still names a user:
                            // the DID stands in for the handle rather than losing the mention.
                            mentions.add(handle != null ? handle : mentioned);
                            break;
                        case "app.bsky.richtext.facet#link":
                            links.add(optionalText(feature, "uri"));
                            break;
                        default:
                            break;
                    }
                }
            }
            post.hashtags = distinct(tags);
            post.mentions = mentions.toArray(new String[0]);
            post.mentionDids = mentionDids.toArray(new String[0]);
            post.urls = distinct(links);
        } else {
            // Hashtags and links as on any platform (from the text, by the normalizer); mentions are
            // Bluesky handles, domain names with at least one dot, which X's mention rules would cut
            // at the first dot. No DID is known without a facet, so mention_dids stays empty.
            post.hashtags = null;
            post.mentions = handlesIn(post.text);
            post.urls = null;
        }
        post.cashtags = null;
        return List.of(NormalizeResult.post(post));
    }

    /** {@code @handle}s written in a text, without the {@code @}, lower case, each once. */
    static String[] handlesIn(String text) {
        List<String> handles = new ArrayList<>();
        java.util.regex.Matcher m = TEXT_HANDLE.matcher(text);
        while (m.find()) {
            handles.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        return distinct(handles);
    }

    /**
     * The handle a mention facet points at: the text at its {@code index} ({@code byteStart} to
     * {@code byteEnd}, UTF-8 byte offsets into the text, as the AT Protocol defines facets) is
     * {@code @handle}. Null when the range is not one (outside the text, cutting a character, not
     * an {@code @} and a domain-like handle): the DID is then the mention's only record.
     */
    static String mentionedHandle(byte[] utf8, ObjectNode index) {
        JsonNode start = child(index, "byteStart");
        JsonNode end = child(index, "byteEnd");
        if (start == null || end == null || !start.canConvertToInt() || !end.canConvertToInt()
                || !start.isIntegralNumber() || !end.isIntegralNumber()) {
            return null;
        }
        int from = start.intValue();
        int to = end.intValue();
        if (from < 0 || to > utf8.length || to - from < 2) {
            return null;
        }
        String slice;
        try {
            slice = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return slice.charAt(0) == '@' && HANDLE.matcher(slice.substring(1)).matches() ? slice.substring(1) : null;
    }

    /** The quoted post of an embed, in native-id form, or null. */
    private static String quotedPost(ObjectNode embed) {
        String type = optionalText(embed, "$type");
        if ("app.bsky.embed.record".equals(type)) {
            return postIdOfPostOnly(optionalText(object(embed, "record"), "uri"));
        }
        if ("app.bsky.embed.recordWithMedia".equals(type)) {
            return postIdOfPostOnly(optionalText(object(object(embed, "record"), "record"), "uri"));
        }
        return null;
    }

    /** {@code at://{did}/app.bsky.feed.post/{rkey}} → {@code {did}/{rkey}}; other URIs unchanged. */
    static String postId(String atUri) {
        if (atUri == null || atUri.length() > 512) {
            return null;
        }
        String converted = postIdOfPostOnly(atUri);
        return converted != null ? converted : atUri;
    }

    private static String postIdOfPostOnly(String atUri) {
        if (atUri == null || !atUri.startsWith("at://")) {
            return null;
        }
        int at = atUri.indexOf(AT_POST_PREFIX);
        if (at <= 5) {
            return null;
        }
        String did = atUri.substring(5, at);
        String rkey = atUri.substring(at + AT_POST_PREFIX.length());
        if (rkey.isEmpty() || rkey.contains("/") || did.contains("/")) {
            return null;
        }
        return did + "/" + rkey;
    }
}
