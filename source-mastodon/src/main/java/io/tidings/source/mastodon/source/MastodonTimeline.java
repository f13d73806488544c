package io.tidings.source.mastodon.source;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Which timeline of a server the source follows: the federated or local public timeline, a
 * hashtag (optionally local only) or a list. It knows both ways Mastodon serves it: the streaming
 * API's {@code stream} parameter (live) and the REST timeline endpoint (gap fill).
 */
@PublicEvolving
public final class MastodonTimeline implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kinds of timeline. */
    public enum Kind {
        PUBLIC,
        HASHTAG,
        LIST
    }

    private final Kind kind;
    /** The hashtag (without {@code #}) or the list id; null for the public timeline. */
    private final String name;
    private final boolean localOnly;

    private MastodonTimeline(Kind kind, String name, boolean localOnly) {
        this.kind = kind;
        this.name = name;
        this.localOnly = localOnly;
    }

    /** Every public status the server knows (federated), or with {@code localOnly} only its own users'. */
    public static MastodonTimeline publicTimeline(boolean localOnly) {
        return new MastodonTimeline(Kind.PUBLIC, null, localOnly);
    }

    /** Public statuses with this hashtag (a leading {@code #} is dropped); {@code localOnly}: the server's own users'. */
    public static MastodonTimeline hashtag(String hashtag, boolean localOnly) {
        String name = hashtag == null ? null : hashtag.strip();
        if (name != null && name.startsWith("#")) {
            name = name.substring(1);
        }
        return new MastodonTimeline(Kind.HASHTAG, name, localOnly);
    }

    /** The statuses of a list of the token's account (lists need an access token). */
    public static MastodonTimeline list(String listId) {
        return new MastodonTimeline(Kind.LIST, listId == null ? null : listId.strip(), false);
    }

    public Kind kind() {
        return kind;
    }

    /** The hashtag or list id; null for the public timeline. */
    public String name() {
        return name;
    }

    public boolean localOnly() {
        return localOnly;
    }

    /** What is wrong with it, or null. */
    String problem() {
        if (kind == Kind.HASHTAG && (name == null || name.isEmpty() || !name.codePoints().allMatch(
                c -> Character.isLetterOrDigit(c) || c == '_' || Character.getType(c) == Character.NON_SPACING_MARK))) {
            return "hashtag '" + name + "' is not a hashtag (letters, digits and _ only)";
        }
        if (kind == Kind.LIST && (name == null || name.isEmpty() || !name.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            return "list id '" + name + "' is not a Mastodon list id (digits)";
        }
        if (kind == Kind.LIST && localOnly) {
            return "a list has no local-only variant";
        }
        return null;
    }

    /** The streaming API's query for this timeline, e.g. {@code stream=hashtag:local&tag=flink}. */
    public String streamQuery() {
        switch (kind) {
            case PUBLIC:
                return "stream=" + (localOnly ? "public:local" : "public");
            case HASHTAG:
                return "stream=" + (localOnly ? "hashtag:local" : "hashtag") + "&tag=" + encode(name);
            default:
                return "stream=list&list=" + encode(name);
        }
    }

    /**
     * The {@code stream} array of this timeline's streaming events, e.g. {@code ["hashtag","flink"]}:
     * what a record the source makes up itself (a recheck's tombstone) carries, so it reads like one
     * the server sent.
     */
    public java.util.List<String> streamNames() {
        switch (kind) {
            case PUBLIC:
                return java.util.List.of(localOnly ? "public:local" : "public");
            case HASHTAG:
                return java.util.List.of(localOnly ? "hashtag:local" : "hashtag", name);
            default:
                return java.util.List.of("list", name);
        }
    }

    /** The REST timeline's path and fixed query, e.g. {@code /api/v1/timelines/tag/flink?local=true}. */
    public String timelinePath() {
        switch (kind) {
            case PUBLIC:
                return "/api/v1/timelines/public" + (localOnly ? "?local=true" : "");
            case HASHTAG:
                return "/api/v1/timelines/tag/" + encode(name) + (localOnly ? "?local=true" : "");
            default:
                return "/api/v1/timelines/list/" + encode(name);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MastodonTimeline other && kind == other.kind && Objects.equals(name, other.name)
                && localOnly == other.localOnly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, localOnly);
    }

    /** e.g. {@code #flink (local)}, {@code public timeline}, {@code list 42}. */
    @Override
    public String toString() {
        String local = localOnly ? " (local)" : "";
        switch (kind) {
            case PUBLIC:
                return "public timeline" + local;
            case HASHTAG:
                return "#" + name + local;
            default:
                return "list " + name;
        }
    }
}
