package io.tidings.operators.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain text (and link targets) from the small HTML dialect Mastodon sends as a status's
 * {@code content}: {@code <p>} becomes a blank line between paragraphs, {@code <br>} a newline,
 * other tags disappear, character references are decoded, and the contents of {@code script} and
 * {@code style} are dropped.
 *
 * <p>A single left-to-right pass with bounded look-ahead, so hostile markup (unclosed tags,
 * endless attributes, bogus entities) costs linear time and cannot throw. Written here rather than
 * pulling in a full HTML parser, because servers already sanitize this HTML to a handful of tags.
 *
 * <p>Links: the {@code href} of every {@code <a>} that is not a mention or hashtag link (Mastodon
 * marks those with {@code class="mention"}/{@code "hashtag"} or {@code rel="tag"}) is collected.
 */
final class HtmlText {
    /** The text, as a reader of the post sees it. */
    final String text;
    /** Targets of ordinary links, in order. */
    final List<String> links;

    private HtmlText(String text, List<String> links) {
        this.text = text;
        this.links = links;
    }

    static HtmlText of(String html) {
        StringBuilder out = new StringBuilder(html.length());
        List<String> links = new ArrayList<>();
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                int consumed = tag(html, i, out, links);
                if (consumed > 0) {
                    i += consumed;
                    continue;
                }
                out.append(c);
                i++;
            } else if (c == '&') {
                i = entity(html, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return new HtmlText(out.toString(), links);
    }

    /** The string with its character references decoded and nothing else changed. */
    static String decodeEntities(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '&') {
                i = entity(value, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Handles a tag at {@code start}; returns chars consumed, or 0 when '<' is literal text. */
    private static int tag(String html, int start, StringBuilder out, List<String> links) {
        int n = html.length();
        if (html.startsWith("<!--", start)) {
            int end = html.indexOf("-->", start + 4);
            return (end < 0 ? n : end + 3) - start;
        }
        int p = start + 1;
        boolean closing = p < n && html.charAt(p) == '/';
        if (closing) {
            p++;
        }
        int nameStart = p;
        while (p < n && isAsciiLetterOrDigit(html.charAt(p))) {
            p++;
        }
        if (p == nameStart || !Character.isLetter(html.charAt(nameStart))) {
            return html.startsWith("<!", start) || html.startsWith("<?", start)
                    ? skipPast(html, start, '>') : 0;
        }
        String name = html.substring(nameStart, p).toLowerCase(Locale.ROOT);
        int end = html.indexOf('>', p);
        if (end < 0) {
            return n - start; // an unterminated tag swallows the rest, as browsers do
        }
        String attributes = html.substring(p, end);
        int consumed = end + 1 - start;
        if (closing) {
            return consumed;
        }
        switch (name) {
            case "br":
                out.append('\n');
                break;
            case "p":
            case "blockquote":
            case "pre":
            case "ul":
            case "ol":
                if (out.length() > 0) {
                    trimTrailingNewlines(out);
                    out.append("\n\n");
                }
                break;
            case "li":
            case "div":
            case "h1":
            case "h2":
            case "h3":
            case "h4":
            case "h5":
            case "h6":
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                break;
            case "a":
                String href = attribute(attributes, "href");
                String cls = attribute(attributes, "class");
                String rel = attribute(attributes, "rel");
                boolean entityLink = (cls != null && (containsWord(cls, "mention") || containsWord(cls, "hashtag")))
                        || (rel != null && containsWord(rel, "tag"));
                if (href != null && !href.isBlank() && !entityLink && links.size() < RecordFields.MAX_ENTITIES) {
                    links.add(href.trim());
                }
                break;
            case "script":
            case "style":
                int close = indexOfIgnoreCase(html, "</" + name, end + 1);
                return (close < 0 ? n : skipPast(html, close, '>') + close) - start;
            default:
                break;
        }
        return consumed;
    }

    private static int skipPast(String html, int start, char c) {
        int end = html.indexOf(c, start);
        return (end < 0 ? html.length() : end + 1) - start;
    }

    private static void trimTrailingNewlines(StringBuilder out) {
        while (out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
            out.setLength(out.length() - 1);
        }
    }

    /** Decodes a character reference at {@code start} ('&'); returns the index after it. */
    private static int entity(String html, int start, StringBuilder out) {
        int n = html.length();
        int semi = -1;
        for (int p = start + 1; p < n && p <= start + 12; p++) {
            char c = html.charAt(p);
            if (c == ';') {
                semi = p;
                break;
            }
            if (!isAsciiLetterOrDigit(c) && c != '#') {
                break;
            }
        }
        if (semi < 0) {
            out.append('&');
            return start + 1;
        }
        String body = html.substring(start + 1, semi);
        String decoded = decode(body);
        if (decoded == null) {
            out.append('&');
            return start + 1;
        }
        out.append(decoded);
        return semi + 1;
    }

    private static String decode(String body) {
        if (body.startsWith("#")) {
            int cp;
            try {
                cp = body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X')
                        ? Integer.parseInt(body.substring(2), 16)
                        : Integer.parseInt(body.substring(1), 10);
            } catch (NumberFormatException e) {
                return null;
            }
            if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return "\uFFFD";
            }
            return new String(Character.toChars(cp));
        }
        switch (body) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            case "nbsp":
                return "\u00A0";
            case "hellip":
                return "\u2026";
            case "mdash":
                return "\u2014";
            case "ndash":
                return "\u2013";
            default:
                return null;
        }
    }

    /** The value of attribute {@code name} in a tag's attribute text, entity-decoded, or null. */
    static String attribute(String attributes, String name) {
        int n = attributes.length();
        int i = 0;
        while (i < n) {
            while (i < n && !isAttributeNameChar(attributes.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < n && isAttributeNameChar(attributes.charAt(i))) {
                i++;
            }
            String attrName = attributes.substring(nameStart, i);
            while (i < n && Character.isWhitespace(attributes.charAt(i))) {
                i++;
            }
            String value = null;
            if (i < n && attributes.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(attributes.charAt(i))) {
                    i++;
                }
                if (i < n && (attributes.charAt(i) == '"' || attributes.charAt(i) == '\'')) {
                    char quote = attributes.charAt(i);
                    int close = attributes.indexOf(quote, i + 1);
                    int valueEnd = close < 0 ? n : close;
                    value = attributes.substring(i + 1, valueEnd);
                    i = close < 0 ? n : close + 1;
                } else {
                    int valueStart = i;
                    while (i < n && !Character.isWhitespace(attributes.charAt(i))) {
                        i++;
                    }
                    value = attributes.substring(valueStart, i);
                }
            }
            if (attrName.equalsIgnoreCase(name)) {
                return value == null ? "" : decodeEntities(value);
            }
        }
        return null;
    }

    private static boolean containsWord(String list, String word) {
        for (String part : list.trim().split("\\s+")) {
            if (part.equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfIgnoreCase(String haystack, String needle, int from) {
        int last = haystack.length() - needle.length();
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isAttributeNameChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == ':';
    }
}
