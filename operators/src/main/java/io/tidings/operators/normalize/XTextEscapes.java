package io.tidings.operators.normalize;

/**
 * X's text escapes: X API v1.1 and v2 deliver a post's text with {@code &} as {@code &amp;},
 * {@code <} as {@code &lt;} and {@code >} as {@code &gt;}, and nothing else escaped. Other
 * platforms deliver plain text (Bluesky) or HTML that tidings decodes (Mastodon), so X's text is
 * decoded too: the lake's {@code text} then means the same everywhere, and the models read
 * {@code salvini > meloni}, not {@code salvini &gt; meloni} (which language identification took
 * for Indonesian).
 *
 * <p>One pass from left to right, so that what a person typed as {@code &lt;} (sent by X as
 * {@code &amp;lt;}) comes back as {@code &lt;}, not {@code <}.
 *
 * <p>Offsets: X's entity {@code indices}/{@code start}/{@code end} count code points of the
 * <em>escaped</em> text (all 103 entities of the 59 escaped posts in {@code demo/btc-tweets.jsonl.gz}
 * slice the text as sent, not the decoded one), so they do not fit the decoded text. The lake keeps
 * none of them: hashtags, mentions and URLs are stored by value, and the only stored offsets, the
 * models' entities ({@code char_start}/{@code char_end}), are found in the decoded text itself.
 */
final class XTextEscapes {
    private XTextEscapes() {}

    /** {@code text} with X's three escapes decoded; null for null. */
    static String decode(String text) {
        if (text == null || text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '&') {
                if (text.startsWith("amp;", i + 1)) {
                    out.append('&');
                    i += 5;
                    continue;
                }
                if (text.startsWith("lt;", i + 1)) {
                    out.append('<');
                    i += 4;
                    continue;
                }
                if (text.startsWith("gt;", i + 1)) {
                    out.append('>');
                    i += 4;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
