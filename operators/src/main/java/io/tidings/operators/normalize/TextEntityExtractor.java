package io.tidings.operators.normalize;

import com.twitter.twittertext.Extractor;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds hashtags, mentions, URLs and cashtags in a post's text, for posts whose platform gives no
 * entities (generic records, Bluesky posts without facets, cashtags on Mastodon). Values come
 * without their sigil ({@code #}, {@code @}, {@code $}), in the case written.
 *
 * <p>Hashtags, mentions and cashtags follow Twitter's own rules through the {@code twitter-text}
 * library (the reference implementation X's clients use; measured near-linear up to the
 * 100,000-char text limit). URLs do not: twitter-text's URL pattern backtracks badly (a text of
 * 4,000 chars of {@code "1.1.1."} takes 30 s; 100,000 would hang the job), so URLs are found by a
 * single linear scan here: an {@code http://} or {@code https://} (any case) not preceded by a
 * letter or digit, up to white space, a control character or one of {@code < > " `}, without
 * trailing punctuation ({@code . , : ; ! ? ' *} and closing brackets that open nowhere in the URL).
 * Unlike twitter-text it does not turn bare domains ({@code example.com}) into URLs.
 */
final class TextEntityExtractor {
    /** twitter-text's extractor keeps no per-call state, so one instance serves all threads. */
    private static final Extractor EXTRACTOR = new Extractor();
    /** Longer URLs are not kept (browsers and X stop far earlier). */
    static final int MAX_URL_CHARS = 4096;

    private TextEntityExtractor() {}

    static List<String> hashtags(String text) {
        return EXTRACTOR.extractHashtags(text);
    }

    static List<String> mentions(String text) {
        return EXTRACTOR.extractMentionedScreennames(text);
    }

    static List<String> cashtags(String text) {
        return EXTRACTOR.extractCashtags(text);
    }

    static List<String> urls(String text) {
        List<String> urls = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n && urls.size() < RecordFields.MAX_ENTITIES) {
            int schemeEnd = schemeEndAt(text, i);
            if (schemeEnd < 0 || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = schemeEnd;
            while (end < n && isUrlChar(text.charAt(end))) {
                end++;
            }
            int trimmed = trimTrailing(text, i, end);
            if (trimmed > schemeEnd && trimmed - i <= MAX_URL_CHARS) {
                urls.add(text.substring(i, trimmed));
            }
            i = Math.max(end, i + 1);
        }
        return urls;
    }

    /** The index after {@code http://} or {@code https://} at {@code i}, or -1. */
    private static int schemeEndAt(String text, int i) {
        if (text.regionMatches(true, i, "https://", 0, 8)) {
            return i + 8;
        }
        if (text.regionMatches(true, i, "http://", 0, 7)) {
            return i + 7;
        }
        return -1;
    }

    private static boolean isUrlChar(char c) {
        return !Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Character.isISOControl(c)
                && c != '<' && c != '>' && c != '"' && c != '`' && c != '\u2026';
    }

    private static int trimTrailing(String text, int start, int end) {
        while (end > start) {
            char last = text.charAt(end - 1);
            if (".,:;!?'*".indexOf(last) >= 0) {
                end--;
            } else if (last == ')' || last == ']' || last == '}') {
                char open = last == ')' ? '(' : last == ']' ? '[' : '{';
                if (count(text, start, end, open) >= count(text, start, end, last)) {
                    break;
                }
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static int count(String text, int start, int end, char c) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == c) {
                count++;
            }
        }
        return count;
    }
}
