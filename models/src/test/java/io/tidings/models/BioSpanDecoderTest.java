package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tidings.records.EntityMention;
import java.util.List;
import org.junit.jupiter.api.Test;

class BioSpanDecoderTest {

    // "New York ! @ #x Joe" tokens: New[0,3) York[4,8) ![9,10) @[11,12) #[13,14) x[14,15) Joe[16,19)
    private static final String TEXT = "New York ! @ #x Joe";
    private static final int[] STARTS = {-1, 0, 4, 9, 11, 13, 14, 16, -1};
    private static final int[] ENDS = {-1, 3, 8, 10, 12, 14, 15, 19, -1};

    @Test
    void joinsBeginAndInsideOfOneTypeAndAveragesScores() {
        String[] tags = {null, "B-LOC", "I-LOC", "O", "B-PER", "O", "I-ORG", "I-PER", null};
        double[] p = {0, 0.9, 0.7, 0.99, 0.8, 0.9, 0.6, 0.5, 0};
        List<EntityMention> mentions = BioSpanDecoder.decode(TEXT, tags, p, STARTS, ENDS);
        assertThat(mentions).extracting(EntityMention::toString)
                .containsExactly("LOC[0,8)'New York'", "ORG[14,15)'x'", "PER[16,19)'Joe'");
        assertThat(mentions.get(0).score).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void aTypeChangeOrNewBeginSplitsEntities() {
        String[] tags = {null, "B-LOC", "I-ORG", "O", "O", "B-ORG", "I-ORG", "B-ORG", null};
        double[] p = {0, 1, 1, 1, 1, 1, 1, 1, 0};
        assertThat(BioSpanDecoder.decode(TEXT, tags, p, STARTS, ENDS)).extracting(e -> e.text)
                .containsExactly("New", "York", "#x", "Joe");
    }

    @Test
    void dropsSpansWithoutLettersOrDigits() {
        String[] tags = {null, "O", "O", "B-PER", "I-PER", "B-ORG", "O", "O", null};
        double[] p = {0, 1, 1, 1, 1, 1, 1, 1, 0};
        assertThat(BioSpanDecoder.decode(TEXT, tags, p, STARTS, ENDS)).isEmpty();
    }

    @Test
    void piecesOfOneWordTakeTheTagOfItsFirstPiece() {
        // mc[0,2) ##donald[2,8) '[8,9) s[9,10) in[11,13) krak[14,18) ##ow[18,20): the model split McDonald
        // and started an entity inside Krakow; the apostrophe is not part of the word
        String text = "McDonald's in Krakow";
        int[] starts = {-1, 0, 2, 8, 9, 11, 14, 18, -1};
        int[] ends = {-1, 2, 8, 9, 10, 13, 18, 20, -1};
        String[] tags = {null, "B-ORG", "O", "O", "O", "O", "O", "B-LOC", null};
        double[] p = {0, 0.9, 0.6, 1, 1, 1, 1, 0.8, 0};
        List<EntityMention> mentions = BioSpanDecoder.decode(text, tags, p, starts, ends);
        assertThat(mentions).extracting(EntityMention::toString).containsExactly("ORG[0,8)'McDonald'");
        assertThat(mentions.get(0).score).isCloseTo(0.9, within(1e-12));
        assertThat(tags[2]).as("the caller's tags are not changed").isEqualTo("O");
    }

    @Test
    void wordsAreJoinedOnlyByLettersOrDigitsAcrossSurrogatePairs() {
        String text = "\uD835\uDCD7ey #x a'b";
        assertThat(BioSpanDecoder.continuesWord(text, 2, 2)).isTrue(); // 𝓗|ey: a letter outside the BMP
        assertThat(BioSpanDecoder.continuesWord(text, 6, 6)).isFalse(); // #|x
        assertThat(BioSpanDecoder.continuesWord(text, 9, 9)).isFalse(); // a|'
        assertThat(BioSpanDecoder.continuesWord(text, 9, 10)).isFalse(); // not adjacent
    }
}
