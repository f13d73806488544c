package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidings.records.EntityMention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EntityEvaluation}: conlleval semantics, numbers worked out by hand. */
class EntityEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void scoresChunksWithConllevalSemantics() {
        // gold chunks: PER[0,2) LOC[3,5) LOC[5,6) | ORG[0,1)   predicted: PER[0,1) ORG[1,2) LOC[3,6) | ORG[0,1)
        EntityEvaluation.Result result = EntityEvaluation.score(
                List.of(List.of("B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC"), List.of("B-ORG", "O")),
                List.of(List.of("B-PER", "I-ORG", "O", "B-LOC", "I-LOC", "I-LOC"), List.of("B-ORG", "O")));
        assertThat(result.micro().gold).isEqualTo(4);
        assertThat(result.micro().predicted).isEqualTo(4);
        assertThat(result.micro().correct).isEqualTo(1);
        assertThat(result.micro().precision()).isEqualTo(0.25);
        assertThat(result.micro().recall()).isEqualTo(0.25);
        assertThat(result.micro().f1()).isEqualTo(0.25);
        assertThat(result.byType().get("ORG").precision()).isEqualTo(0.5);
        assertThat(result.byType().get("ORG").recall()).isEqualTo(1.0);
        assertThat(result.byType().get("ORG").f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(result.byType().get("PER").f1()).isZero();
        assertThat(result.byType().get("LOC").gold).isEqualTo(2);
        assertThat(result.byType().get("LOC").f1()).isZero();
        assertThat(result.tokenAccuracy()).isCloseTo(5.0 / 8, within(1e-12));
    }

    @Test
    void ioTagsAreChunkedLikeConlleval() {
        assertThat(EntityEvaluation.chunks(0, List.of("I-PER", "I-PER", "O", "I-LOC", "I-PER")))
                .containsExactly(new EntityEvaluation.Chunk(0, 0, 2, "PER"), new EntityEvaluation.Chunk(0, 3, 4, "LOC"),
                        new EntityEvaluation.Chunk(0, 4, 5, "PER"));
    }

    @Test
    void mapsPredictedCharSpansBackToTokens() {
        List<String> tokens = List.of("RT", "@SportsCenter", ":", "Allen", "Iverson", "'s");
        // "@SportsCenter" spans [3,16); a mention of "SportsCenter" only still tags the token
        List<EntityMention> mentions = List.of(new EntityMention("SportsCenter", "ORG", 4, 16, 0.9),
                new EntityMention("Allen Iverson's", "PER", 19, 34, 0.9));
        assertThat(EntityEvaluation.tagsFromMentions(tokens, mentions))
                .containsExactly("O", "B-ORG", "O", "B-PER", "I-PER", "I-PER");
    }

    @Test
    void readsEmptyTokensAndSpaceSeparatedLines() throws IOException {
        Path conll = dir.resolve("odd.conll");
        Files.writeString(conll, "-DOCSTART- O\n\nLove\tO\n\tO\nLondon\tB-LOC\n \t \nNew York B-LOC\n");
        List<EntityEvaluation.Sentence> sentences = EntityEvaluation.readConll(conll, java.util.Map.of());
        assertThat(sentences).hasSize(2);
        assertThat(sentences.get(0).tokens()).containsExactly("Love", "", "London");
        assertThat(sentences.get(0).text()).isEqualTo("Love  London");
        assertThat(sentences.get(1).tokens()).containsExactly("New York");
        assertThat(EntityEvaluation.tagsFromMentions(sentences.get(0).tokens(),
                List.of(new EntityMention("London", "LOC", 6, 12, 1.0)))).containsExactly("O", "O", "B-LOC");
    }

    @Test
    void parsesTypeMaps() {
        assertThat(EntityEvaluation.parseTypeMap("person=PER, Corporation=ORG,product=O"))
                .containsEntry("person", "PER").containsEntry("corporation", "ORG").containsEntry("product", "O");
        assertThat(EntityEvaluation.parseTypeMap("")).isEmpty();
    }

    @Test
    void evaluatesAModelOnAConllFileWithATypeMap() throws IOException {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        Path conll = dir.resolve("tiny.conll");
        Files.writeString(conll, String.join("\n",
                "Barack\tB-person", "Obama\tI-person", "visited\tO", "New\tB-location", "York\tI-location", "today\tO",
                "\t",
                "I\tO", "love\tO", "Apple\tB-product", "and\tO", "Paris\tB-location",
                "",
                "london I-location", "calling O", "obama B-person",
                "",
                "New\tB-corporation", "York\tI-corporation", "Times\tI-corporation", "rocks\tO", ""));
        List<EntityEvaluation.Sentence> sentences = EntityEvaluation.readConll(conll,
                EntityEvaluation.parseTypeMap("person=PER,corporation=ORG,group=ORG,location=LOC,product=O,creative-work=O"));
        assertThat(sentences).hasSize(4);
        assertThat(sentences.get(1).tags()).containsExactly("O", "O", "O", "O", "B-LOC");
        assertThat(sentences.get(3).text()).isEqualTo("New York Times rocks");

        try (TweetModel model = TweetModel.load(ModelLocation.of(FixtureModels.multitask()), 1, 2)) {
            EntityEvaluation.Result result = EntityEvaluation.evaluate(model, sentences);
            // gold: PER 2, LOC 3, ORG 1; predicted: PER 2 (both right), LOC 4 (3 right), ORG 1 ("Apple", wrong)
            assertThat(result.micro().gold).isEqualTo(6);
            assertThat(result.micro().predicted).isEqualTo(7);
            assertThat(result.micro().correct).isEqualTo(5);
            assertThat(result.micro().precision()).isCloseTo(5.0 / 7, within(1e-12));
            assertThat(result.micro().recall()).isCloseTo(5.0 / 6, within(1e-12));
            assertThat(result.micro().f1()).isCloseTo(10.0 / 13, within(1e-12));
            assertThat(result.byType().get("PER").f1()).isEqualTo(1.0);
            assertThat(result.byType().get("LOC").precision()).isEqualTo(0.75);
            assertThat(result.byType().get("LOC").recall()).isEqualTo(1.0);
            assertThat(result.byType().get("LOC").f1()).isCloseTo(6.0 / 7, within(1e-12));
            assertThat(result.byType().get("ORG").f1()).isZero();
            assertThat(result.tokenAccuracy()).isCloseTo(13.0 / 18, within(1e-12));
            assertThat(result.report()).contains("found: 7 phrases; correct: 5.").contains("FB1:  76.92");
        }
    }
}
