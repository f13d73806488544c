package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RecordFields.optionalId;
import static io.tidings.operators.normalize.RecordFields.optionalText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import java.util.List;
import java.util.Set;

/**
 * The simplest shape, for files people write by hand or export from elsewhere:
 * {@code {"id", "text", "created_at", "platform"?, "author_id"?, "author_handle"|"author"?,
 * "author_name"?, "lang"?, "url"?}}.
 *
 * <p>created_at may be ISO-8601 (with or without offset; none means UTC), a date, or epoch seconds
 * or milliseconds (a number or a string of digits; below 10^11 it is seconds). platform defaults to
 * {@code generic} and must otherwise be one the lake knows. Hashtags, mentions, URLs and cashtags
 * are found in the text. Kind is always {@code post}.
 */
final class GenericDialect implements PostDialect {
    private static final long serialVersionUID = 1L;

    static final Set<String> PLATFORMS = Set.of("x", "bluesky", "mastodon", "generic");

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public boolean recognises(ObjectNode root) {
        return root.has("text") && (root.has("id") || root.has("created_at"));
    }

    @Override
    public List<NormalizeResult> read(ObjectNode root) {
        Post post = new Post();
        String platform = RecordFields.child(root, "platform") == null
                ? "generic"
                : RecordFields.requiredText(root, "platform", "platform");
        if (!PLATFORMS.contains(platform)) {
            throw new RecordRejectedException("platform " + RecordFields.quote(platform)
                    + " is not one of x, bluesky, mastodon, generic");
        }
        post.platform = platform;
        post.nativeId = RecordFields.requiredId(root, "id", "id");
        post.text = RecordFields.requiredText(root, "text", "text");
        post.createdAt = CreatedAtParser.flexible(root, "created_at", "created_at");
        post.authorId = optionalId(root, "author_id");
        post.authorHandle = optionalText(root, "author_handle");
        if (post.authorHandle == null) {
            post.authorHandle = optionalText(root, "author");
        }
        post.authorName = optionalText(root, "author_name");
        post.lang = optionalText(root, "lang");
        post.url = optionalText(root, "url");
        post.kind = KIND_POST;
        post.hashtags = null;
        post.mentions = null;
        post.urls = null;
        post.cashtags = null;
        return List.of(NormalizeResult.post(post));
    }
}
