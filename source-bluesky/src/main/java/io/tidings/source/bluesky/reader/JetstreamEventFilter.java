package io.tidings.source.bluesky.reader;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import org.apache.flink.annotation.Internal;

/**
 * Decides what to emit of a Jetstream event:
 *
 * <ul>
 *   <li>a commit that creates or updates an {@code app.bsky.feed.post}: emitted when it passes the
 *       language filter (any of the record's {@code langs}) and, when keyword filters are configured,
 *       matches at least one of them; the matched filter names travel with it;
 *   <li>a commit that deletes a post: always emitted (no matched rules), so deletions reach the lake;
 *   <li>identity and account events, commits to other collections, unknown operations or kinds:
 *       not emitted (the normalizer would skip them; they carry no post).
 * </ul>
 */
@Internal
public final class JetstreamEventFilter {
    public static final String POST_COLLECTION = "app.bsky.feed.post";
    private static final String[] NO_RULES = new String[0];

    private final JetstreamKeywordMatcher keywords;
    private final Set<String> languages;

    public JetstreamEventFilter(JetstreamSourceConfig config) {
        this.keywords = new JetstreamKeywordMatcher(config.keywords());
        this.languages = config.languages();
    }

    /** The matched rules to emit the event with, or null to not emit it. */
    public String[] decide(JsonNode event) {
        if (!"commit".equals(event.path("kind").asText(null))) {
            return null;
        }
        JsonNode commit = event.path("commit");
        if (!POST_COLLECTION.equals(commit.path("collection").asText(null))) {
            return null;
        }
        String operation = commit.path("operation").asText("");
        if (operation.equals("delete")) {
            return NO_RULES;
        }
        if (!operation.equals("create") && !operation.equals("update")) {
            return null;
        }
        JsonNode record = commit.path("record");
        if (!languages.isEmpty() && !languageMatches(record.path("langs"))) {
            return null;
        }
        if (keywords.isEmpty()) {
            return NO_RULES;
        }
        JsonNode text = record.path("text");
        List<String> matched = keywords.match(text.isTextual() ? text.asText() : null);
        return matched.isEmpty() ? null : matched.toArray(new String[0]);
    }

    private boolean languageMatches(JsonNode langs) {
        if (!langs.isArray()) {
            return false;
        }
        for (JsonNode lang : langs) {
            if (!lang.isTextual()) {
                continue;
            }
            String l = lang.asText().toLowerCase(Locale.ROOT);
            int dash = l.indexOf('-');
            if (languages.contains(l) || (dash > 0 && languages.contains(l.substring(0, dash)))) {
                return true;
            }
        }
        return false;
    }
}
