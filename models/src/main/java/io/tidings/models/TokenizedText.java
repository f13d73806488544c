package io.tidings.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One text as the model sees it: token ids and each token's char span in the original text. */
final class TokenizedText {
    final String text;
    final long[] ids;
    final long[] typeIds;
    final boolean[] special;
    final int[] starts;
    final int[] ends;

    TokenizedText(String text, String safe, Encoding encoding, ModelConfig.TokenTypes tokenTypes) {
        this.text = text;
        this.ids = encoding.getIds();
        long[] types = encoding.getTypeIds();
        this.typeIds = types.length == ids.length ? types : new long[ids.length];
        long[] specialMask = encoding.getSpecialTokenMask();
        CharSpan[] spans = encoding.getCharTokenSpans();
        this.special = new boolean[ids.length];
        this.starts = new int[ids.length];
        this.ends = new int[ids.length];
        int[] charOfCodePoint = charOffsetsOfCodePoints(safe);
        int codePoints = charOfCodePoint.length - 1;
        for (int t = 0; t < ids.length; t++) {
            special[t] = specialMask.length == ids.length && specialMask[t] != 0;
            CharSpan span = spans != null && t < spans.length ? spans[t] : null;
            if (span == null || span.getStart() < 0 || span.getEnd() > codePoints || span.getStart() >= span.getEnd()) {
                starts[t] = -1;
                ends[t] = -1;
            } else {
                // DJL reports offsets in code points; the records want Java char offsets.
                starts[t] = charOfCodePoint[span.getStart()];
                ends[t] = charOfCodePoint[span.getEnd()];
            }
        }
        if (tokenTypes == ModelConfig.TokenTypes.CASING) {
            for (int t = 0; t < ids.length; t++) {
                typeIds[t] = !special[t] && starts[t] >= 0 && Character.isUpperCase(text.codePointAt(starts[t]))
                        ? 1 : 0;
            }
        }
    }

    /** {@code result[i]} is the char index of code point {@code i}; the last entry is the length. */
    static int[] charOffsetsOfCodePoints(String text) {
        int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
        int c = 0;
        for (int i = 0; i < text.length(); ) {
            offsets[c++] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        offsets[c] = text.length();
        return offsets;
    }

    /**
     * A URL as RFC 3986 spells it. ASCII only, so that it has as many chars as code points and the
     * exporter's Python reads the same spans ({@code common.URL}).
     */
    private static final Pattern URL = Pattern.compile(
            "\\b(?:https?://|www\\.)[a-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

    /** Each URL keeps its first four chars, the rest become spaces ({@link ModelConfig.Urls#SHORTEN}). */
    static String shortenUrls(String text) {
        Matcher url = URL.matcher(text);
        if (!url.find()) {
            return text;
        }
        char[] chars = text.toCharArray();
        do {
            Arrays.fill(chars, url.start() + 4, url.end(), ' ');
        } while (url.find());
        return new String(chars);
    }

    /**
     * Replaces what cannot cross into the Rust tokenizer intact (lone surrogates, NUL) with one
     * char each, so that char and code point offsets stay those of the original text.
     */
    static String tokenizerSafe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement = 0;
            boolean replace = false;
            if (c == 0) {
                replacement = ' ';
                replace = true;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = '\uFFFD';
                replace = true;
            } else if (Character.isLowSurrogate(c)) {
                replacement = '\uFFFD';
                replace = true;
            }
            if (replace && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(replace ? replacement : c);
            }
        }
        return out == null ? text : out.toString();
    }
}
