package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.array;
import static io.tidings.operators.normalize.RecordFields.child;
import static io.tidings.operators.normalize.RecordFields.count;
import static io.tidings.operators.normalize.RecordFields.distinct;
import static io.tidings.operators.normalize.RecordFields.object;
import static io.tidings.operators.normalize.RecordFields.optionalId;
import static io.tidings.operators.normalize.RecordFields.optionalText;
import static io.tidings.operators.normalize.RecordFields.textsOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import java.util.List;

/**
 * Mastodon status entities, as the REST API and the streaming API's {@code update} payload return
 * them.
 *
 * <ul>
 *   <li>edited_at is the status's {@code edited_at} (null until it is edited): which version of the
 *       post this is. Optional like the counts: absent, of another type or not a date, it is null.
 *   <li>native_id is the status {@code id} of the server it was read from (as are the reply and
 *       repost ids, so they join); url is {@code url}, else {@code uri}.
 *   <li>text is {@code content} converted from HTML to plain text ({@link HtmlText}): the one
 *       platform whose text is not kept byte for byte, because Mastodon only sends HTML.
 *   <li>Reblogs ({@code reblog} is a status): kind repost; text, tags, mentions and links are the
 *       reblogged status's, the author the reblogger. Replies: {@code in_reply_to_id}. Quotes
 *       (Mastodon 4.5): {@code quote.quoted_status.id} or {@code quote.quoted_status_id}.
 *   <li>hashtags are {@code tags[].name}, mentions {@code mentions[].acct} ({@code user} or
 *       {@code user@server}), urls the targets of ordinary links in the content; cashtags are found
 *       in the text.
 * </ul>
 */
final class MastodonDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "mastodon";
    }

    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("account") && root.has("content");
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        Post post = new Post();
        post.platform = "mastodon";
        post.nativeId = RecordFields.requiredId(root, "id", "id");
        post.createdAt = CreatedAtParser.iso(root, "created_at", "created_at");
        // The version: null until the status is edited. A status read later (gap fill, a boost
        // of it) carries its newest edit's time, so it is that version, not the first.
        post.editedAt = CreatedAtParser.optionalIso(root, "edited_at");
        post.url = optionalText(root, "url");
        if (post.url == null) {
            post.url = optionalText(root, "uri");
        }

        JsonNode accountNode = child(root, "account");
        if (accountNode == null || !accountNode.isObject()) {
            throw new RecordRejectedException(accountNode == null
                    ? "missing account"
                    : "account is " + RecordFields.describe(accountNode) + ", expected an object");
        }
        ObjectNode account = (ObjectNode) accountNode;
        post.authorId = optionalId(account, "id");
        post.authorHandle = optionalText(account, "acct");
        if (post.authorHandle == null) {
            post.authorHandle = optionalText(account, "username");
        }
        post.authorName = optionalText(account, "display_name");
        post.authorFollowers = count(account, "followers_count");

        ObjectNode reblog = object(root, "reblog");
        ObjectNode content = reblog != null ? reblog : root;
        String contentPath = reblog != null ? "reblog." : "";
        HtmlText html = HtmlText.of(RecordFields.requiredText(content, "content", contentPath + "content"));
        post.text = html.text;
        post.hashtags = distinct(textsOf(array(content, "tags"), "name"));
        post.mentions = distinct(textsOf(array(content, "mentions"), "acct"));
        post.urls = distinct(html.links);
        post.cashtags = null;

        post.replyToId = optionalId(root, "in_reply_to_id");
        ObjectNode quote = object(root, "quote");
        post.quoteOfId = optionalId(object(quote, "quoted_status"), "id");
        if (post.quoteOfId == null) {
            post.quoteOfId = optionalId(quote, "quoted_status_id");
        }
        if (reblog != null) {
            post.repostOfId = optionalId(reblog, "id");
            post.kind = KIND_REPOST;
        } else {
            post.kind = post.quoteOfId != null ? KIND_QUOTE : post.replyToId != null ? KIND_REPLY : KIND_POST;
        }

        post.likeCount = count(root, "favourites_count");
        post.repostCount = count(root, "reblogs_count");
        post.replyCount = count(root, "replies_count");
        post.quoteCount = count(root, "quotes_count");
        post.lang = optionalText(content, "language");
        return List.of(NormalizeResult.post(post));
    }
}
