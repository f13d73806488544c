package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.EntityMention;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    // "@bob_ : Youngstown. U.S. @alice.bsky.social Alice" as the tokenizer splits it
    private static final String HANDLES = "@bob_ : Youngstown. U.S. @alice.bsky.social Alice";
    private static final int[] HANDLE_STARTS = {-1, 0, 1, 4, 6, 8, 13, 18, 20, 21, 22, 23, 25, 26, 31, 32, 34, 36, 37, 44, -1};
    private static final int[] HANDLE_ENDS = {-1, 1, 4, 5, 7, 13, 18, 19, 21, 22, 23, 24, 26, 31, 32, 34, 36, 37, 43, 49, -1};

    @Test
    void anEntityThatStartsWithAHandleEndsWithIt() {
        // The model runs every entity on: "@bob_ :" "Youngstown. U.S." and "@alice.bsky.social Alice"
        String[] tags = {null, "B-PER", "I-PER", "I-PER", "I-PER", "B-LOC", "I-LOC", "I-LOC", "I-LOC", "I-LOC",
                "I-LOC", "I-LOC", "B-PER", "I-PER", "I-PER", "I-PER", "I-PER", "I-PER", "I-PER", "I-PER", null};
        double[] p = new double[tags.length];
        Arrays.fill(p, 0.5);
        p[19] = 0.9;
        List<EntityMention> mentions = BioSpanDecoder.decode(HANDLES, tags, p, HANDLE_STARTS, HANDLE_ENDS);
        assertThat(mentions).extracting(EntityMention::toString).containsExactly("PER[0,5)'@bob_'",
                "LOC[8,24)'Youngstown. U.S.'", "PER[25,43)'@alice.bsky.social'", "PER[44,49)'Alice'");
        assertThat(mentions.get(3).score).as("a new entity with its own score").isCloseTo(0.9, within(1e-12));
    }

    @Test
    void trailingPunctuationIsLeftOutExceptAOneLetterAbbreviationsPeriod() {
        String[] tags = new String[HANDLE_STARTS.length];
        Arrays.fill(tags, "O");
        tags[0] = null;
        tags[tags.length - 1] = null;
        tags[5] = "B-LOC"; // Young stown .
        tags[7] = "I-LOC";
        tags[8] = "B-LOC"; // U . S .
        tags[9] = "I-LOC";
        tags[10] = "I-LOC";
        tags[11] = "I-LOC";
        double[] p = new double[tags.length];
        Arrays.fill(p, 1);
        p[7] = 0;
        List<EntityMention> mentions = BioSpanDecoder.decode(HANDLES, tags, p, HANDLE_STARTS, HANDLE_ENDS);
        assertThat(mentions).extracting(EntityMention::toString)
                .containsExactly("LOC[8,18)'Youngstown'", "LOC[20,24)'U.S.'");
        assertThat(mentions.get(0).score).as("the dropped period's score is not counted").isCloseTo(1.0, within(1e-12));
    }

    @Test
    void handlesAreLettersDigitsAndUnderscoresWithInnerDotsOrHyphens() {
        assertThat(BioSpanDecoder.handleEnd(HANDLES, 0)).isEqualTo(5);
        assertThat(BioSpanDecoder.handleEnd(HANDLES, 25)).isEqualTo(43);
        assertThat(BioSpanDecoder.handleEnd("@ann-lee. x", 0)).isEqualTo(8);
        assertThat(BioSpanDecoder.handleEnd("@\uD835\uDCD7i!", 0)).isEqualTo(4);
        assertThat(BioSpanDecoder.handleEnd("@ alone", 0)).isEqualTo(-1);
        assertThat(BioSpanDecoder.handleEnd("@.x", 0)).isEqualTo(-1);
        assertThat(BioSpanDecoder.handleEnd(HANDLES, 8)).as("not an @").isEqualTo(-1);
    }

    /**
     * The exporter's dev figures and the training loop's checkpoint choice count the spans that
     * {@code common.decode_token_entities} finds; they must be the spans this decoder finds. Random
     * tags over the word pieces of texts with handles, hashtags, abbreviations and punctuation,
     * decoded by both.
     */
    @Test
    void decodesExactlyAsTheTrainingCodeDoes(@TempDir Path dir) throws Exception {
        Path casesFile = dir.resolve("cases.json");
        TrainingVenv.run(List.of(TrainingVenv.script("src/test/python/decode_cases.py"),
                FixtureModels.tokenizerJson().orElseThrow().toString(), "13", "40", casesFile.toString()));
        JsonNode cases = new ObjectMapper().readTree(casesFile.toFile());
        assertThat(cases.size()).isEqualTo(200);
        int spans = 0;
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int n = c.get("tags").size();
            String[] tags = new String[n];
            double[] p = new double[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            for (int t = 0; t < n; t++) {
                JsonNode offset = c.get("offsets").get(t);
                boolean special = c.get("special").get(t).asInt() != 0 || offset.get(1).asInt() <= offset.get(0).asInt();
                tags[t] = special ? null : c.get("tags").get(t).asText();
                starts[t] = special ? -1 : offset.get(0).asInt();
                ends[t] = special ? -1 : offset.get(1).asInt();
                p[t] = 1;
            }
            List<String> python = new ArrayList<>();
            c.get("spans").forEach(s -> python.add(s.get(0).asInt() + "-" + s.get(1).asInt() + " " + s.get(2).asText()));
            List<String> java = BioSpanDecoder.decode(text, tags, p, starts, ends).stream()
                    .map(e -> e.start + "-" + e.end + " " + e.type).toList();
            assertThat(java).as("%s with tags %s", text, c.get("tags")).isEqualTo(python);
            spans += java.size();
        }
        assertThat(spans).as("spans found over all cases").isGreaterThan(1000);
    }
}
