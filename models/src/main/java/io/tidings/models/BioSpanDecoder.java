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
