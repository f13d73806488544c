package io.tidings.models;

import io.tidings.records.EntityMention;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns per-token BIO tags into entity mentions. Decoding runs over word-piece tokens: an entity is
 * a {@code B-X} followed by {@code I-X} of the same type; a stray {@code I-X} (after {@code O}, after
 * a special token or after another type) starts an entity too. The span runs from the first token's
 * start to the last token's end, so text between the tokens (spaces) is included and
 * {@code text.substring(start, end)} is exactly the mention as written. The score is the mean of the
 * chosen tags' probabilities.
 *
 * <p>Entities are whole words: the word pieces of one word (adjacent tokens joined by a letter or
 * digit on both sides, "mc|donald", not "obama|'s" or "#|trump") take the tag of the word's first
 * piece, as in training, where a word's label sits on its first piece and the rest continue it. So a
 * span never starts or ends inside a word. On the dev sets this alone raised entity F1 by 3-4 points
 * (exact span match), because pieces inside a word that disagreed used to cut the mention short.
 *
 * <p>Two rules keep the model's spans from running past a mention, as it tends to after a handle or
 * before punctuation. With the same model, they raised {@code eval entities} F1 on our BTC dev split
 * from 0.667 to 0.690, and on WNUT-17 dev from 0.636 to 0.642:
 * <ul>
 *   <li><b>An @-handle is a mention of its own.</b> An entity that starts with a handle
 *       ({@code @} and letters, digits or '_', with inner '.' or '-' for Bluesky's domain handles)
 *       ends with it: a following {@code I-X} starts a new entity ("@Harry_Styles HARRY" is two).</li>
 *   <li><b>A mention does not end in punctuation.</b> Trailing words without a letter or digit are
 *       left out of the span ("Youngstown." is "Youngstown", "@bob_ :" is "@bob_"), except the
 *       period of a one-letter abbreviation ("U.S.").</li>
 * </ul>
 *
 * <p>Spans made only of punctuation, symbols, '@' or '#' (no letter or digit) are dropped: a lone
 * '@' tagged B-PER is noise, not a mention.
 */
final class BioSpanDecoder {

    private BioSpanDecoder() {}

    /**
     * @param text the original text the offsets point into
     * @param tags one BIO tag per token, {@code null} for special tokens (they end any open entity)
     * @param probabilities the probability of each token's tag
     * @param starts char start offset of each token in {@code text}
     * @param ends char end offset of each token in {@code text}
     */
    static List<EntityMention> decode(String text, String[] tags, double[] probabilities, int[] starts, int[] ends) {
        tags = tags.clone();
        probabilities = probabilities.clone();
        for (int i = 1; i < tags.length; i++) {
            if (tags[i] != null && tags[i - 1] != null && continuesWord(text, ends[i - 1], starts[i])) {
                String wordTag = tags[i - 1]; // already the word's tag: earlier pieces were rewritten first
                tags[i] = wordTag.equals("O") ? "O" : "I-" + wordTag.substring(2);
                probabilities[i] = probabilities[i - 1];
            }
        }
        List<EntityMention> mentions = new ArrayList<>();
        String openType = null;
        int first = -1;
        int handleEnd = -1;
        for (int i = 0; i <= tags.length; i++) {
            String tag = i < tags.length ? tags[i] : null;
            boolean continues = tag != null && openType != null && tag.startsWith("I-")
                    && tag.substring(2).equals(openType) && (handleEnd < 0 || starts[i] < handleEnd);
            if (continues) {
                continue;
            }
            if (openType != null) {
                add(mentions, text, openType, first, i - 1, handleEnd, probabilities, starts, ends);
                openType = null;
            }
            if (tag != null && (tag.startsWith("B-") || tag.startsWith("I-"))) {
                openType = tag.substring(2);
                first = i;
                handleEnd = handleEnd(text, starts[i]);
            }
        }
        return mentions;
    }

    /** Whether a token starting at {@code start} is the next piece of the word that ended at {@code previousEnd}. */
    static boolean continuesWord(String text, int previousEnd, int start) {
        return start == previousEnd && start > 0 && start < text.length()
                && Character.isLetterOrDigit(text.codePointBefore(start))
                && Character.isLetterOrDigit(text.codePointAt(start));
    }

    /**
     * Adds the entity of tokens {@code first..last}, without trailing punctuation words (outside a
     * handle ending at {@code handleEnd}) and without spans that have no letter or digit.
     */
    private static void add(List<EntityMention> mentions, String text, String type, int first, int last, int handleEnd,
            double[] probabilities, int[] starts, int[] ends) {
        while (last > first && ends[last] > handleEnd && isTrailingPunctuation(text, starts, ends, last)) {
            last--;
        }
        int start = starts[first];
        int end = ends[last];
        if (start < 0 || end > text.length() || start >= end) {
            return;
        }
        String surface = text.substring(start, end);
        if (!hasLetterOrDigit(surface)) {
            return;
        }
        double scoreSum = 0;
        for (int t = first; t <= last; t++) {
            scoreSum += probabilities[t];
        }
        mentions.add(new EntityMention(surface, type, start, end, scoreSum / (last - first + 1)));
    }

    /**
     * Token {@code t} (inside an entity, after its first token) has no letter or digit and is not the
     * period of a one-letter abbreviation ("U.S.").
     */
    private static boolean isTrailingPunctuation(String text, int[] starts, int[] ends, int t) {
        if (hasLetterOrDigit(text.substring(starts[t], ends[t]))) {
            return false;
        }
        boolean period = ends[t] - starts[t] == 1 && text.charAt(starts[t]) == '.';
        int before = starts[t - 1];
        boolean afterOneLetter = ends[t - 1] == starts[t] && Character.isLetter(text.codePointAt(before))
                && Character.charCount(text.codePointAt(before)) == ends[t - 1] - before;
        return !(period && afterOneLetter);
    }

    private static boolean hasLetterOrDigit(String s) {
        return s.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /**
     * Where the @-handle starting at {@code start} ends, or -1 when no handle starts there. A handle is
     * '@' then letters, digits or '_', with single '.' or '-' between them ("@alice.bsky.social").
     */
    static int handleEnd(String text, int start) {
        if (start < 0 || start >= text.length() || text.charAt(start) != '@') {
            return -1;
        }
        int end = start + 1;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            if (isHandleChar(cp)) {
                end += Character.charCount(cp);
            } else if ((cp == '.' || cp == '-') && end > start + 1 && end + 1 < text.length()
                    && isHandleChar(text.codePointAt(end + 1))) {
                end++;
            } else {
                break;
            }
        }
        return end > start + 1 ? end : -1;
    }

    private static boolean isHandleChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
