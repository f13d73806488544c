package io.tidings.job.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import java.util.Set;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The rescore's rule "a post whose new row would change nothing gets no row" ({@link
 * RescoreCandidate#changesNothing}): the model version decides, and so do issue 21's signals, each
 * of them, so a lake scored before the runtime read those heads, or by a config of the same version
 * with fewer of them, gets them filled by a rescore with the same model.
 */
class RescoreCandidateTest {
    private static final String MODEL = "tweet-multitask@1";
    private static final Set<String> ALL = Set.of("emotion", "hate", "irony", "offensive");

    @Test
    void theSameModelsScoringChangesNothing() {
        assertThat(candidate(MODEL, Set.of(), scored(MODEL, Set.of())).changesNothing()).isTrue();
        assertThat(candidate(MODEL, ALL, scored(MODEL, ALL)).changesNothing()).isTrue();
        assertThat(candidate(MODEL, Set.of("emotion"), scored(MODEL, Set.of("emotion"))).changesNothing()).isTrue();
        assertThat(candidate(null, Set.of(), scored(null, Set.of())).changesNothing()).as("scored by no model, then or now").isTrue();
    }

    @Test
    void anotherModelChangesTheRow() {
        assertThat(candidate("tweet-multitask@0", ALL, scored(MODEL, ALL)).changesNothing()).isFalse();
        assertThat(candidate(null, Set.of(), scored(MODEL, Set.of())).changesNothing()).isFalse();
    }

    @Test
    void signalsTheRowHadNotChangeIt() {
        assertThat(candidate(MODEL, Set.of(), scored(MODEL, Set.of("irony"))).changesNothing()).isFalse();
        // and the reverse: the same version read by a runtime without the heads drops them from the view
        assertThat(candidate(MODEL, Set.of("irony"), scored(MODEL, Set.of())).changesNothing()).isFalse();
    }

    /** A red-team finding: "some signals" and "all of them" counted as the same, so a row with emotion only kept it so. */
    @Test
    void eachSignalCountsNotOnlyWhetherThereIsAny() {
        assertThat(candidate(MODEL, Set.of("emotion"), scored(MODEL, ALL)).changesNothing()).isFalse();
        assertThat(candidate(MODEL, ALL, scored(MODEL, Set.of("emotion"))).changesNothing()).isFalse();
        assertThat(candidate(MODEL, Set.of("hate"), scored(MODEL, Set.of("irony"))).changesNothing()).as("as many, others").isFalse();
    }

    /**
     * A candidate restored from a checkpoint written before {@code rowSignals} has only {@code
     * rowHasSignals}, and the rule it was made under: a row of the model's version with any signal
     * was left alone (its post is the row), one without was scored.
     */
    @Test
    void aCandidateFromACheckpointBeforeRowSignalsGoesByWhetherTheRowHadAny() {
        RescoreCandidate leftAlone = restoredWithoutRowSignals(MODEL, true, scored(MODEL, Set.of("emotion")));
        assertThat(leftAlone.changesNothing()).isTrue();
        RescoreCandidate filled = restoredWithoutRowSignals(MODEL, false, scored(MODEL, ALL));
        assertThat(filled.changesNothing()).as("scored to fill its signals").isFalse();
        assertThat(restoredWithoutRowSignals(MODEL, false, scored(MODEL, Set.of())).changesNothing()).isTrue();
        assertThat(restoredWithoutRowSignals("tweet-multitask@0", false, scored(MODEL, Set.of())).changesNothing()).isFalse();
    }

    /**
     * The candidate is checkpointed by Flink's POJO serializer (its state may then gain fields, as it
     * gained {@code rowSignals}): the row's signals are a field of Flink's own type, not Kryo's, and
     * come back as they went, a restored old candidate's null included.
     */
    @Test
    void theRowsSignalsSurviveACheckpoint() throws Exception {
        TypeInformation<RescoreCandidate> type = TypeInformation.of(RescoreCandidate.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<RescoreCandidate> pojo = (PojoTypeInfo<RescoreCandidate>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("rowSignals"))).isEqualTo(BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
        TypeSerializer<RescoreCandidate> serializer = type.createSerializer(new ExecutionConfig().getSerializerConfig());

        RescoreCandidate candidate = candidate(MODEL, Set.of("emotion", "irony"), scored(MODEL, ALL));
        RescoreCandidate back = roundTrip(serializer, candidate);
        assertThat(back.rowSignals).containsExactlyInAnyOrder("emotion", "irony");
        assertThat(back.rowHasSignals).isTrue();
        assertThat(back.changesNothing()).isFalse();
        assertThat(roundTrip(serializer, restoredWithoutRowSignals(MODEL, true, scored(MODEL, ALL))).rowSignals).isNull();
    }

    private static RescoreCandidate roundTrip(TypeSerializer<RescoreCandidate> serializer, RescoreCandidate candidate) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(candidate, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static RescoreCandidate candidate(String rowModel, Set<String> rowSignals, Post scored) {
        return new RescoreCandidate(scored, 1L, 2L, false, rowModel, rowSignals);
    }

    /** A candidate as a checkpoint written before {@code rowSignals} restores it: that field null. */
    private static RescoreCandidate restoredWithoutRowSignals(String rowModel, boolean rowHasSignals, Post scored) {
        RescoreCandidate candidate = new RescoreCandidate();
        candidate.post = scored;
        candidate.version = 1L;
        candidate.scoredAt = 2L;
        candidate.leftAlone = rowHasSignals && MODEL.equals(rowModel);
        candidate.rowModelVersion = rowModel;
        candidate.rowHasSignals = rowHasSignals;
        return candidate;
    }

    /** The post after the enrichment step: its model version and the signals it holds (each by its score only). */
    private static Post scored(String model, Set<String> signals) {
        Post post = new Post();
        post.postId = "x:1";
        post.modelVersion = model;
        post.emotionScore = signals.contains("emotion") ? 0.7 : null;
        post.hateScore = signals.contains("hate") ? 0.1 : null;
        post.ironyScore = signals.contains("irony") ? 0.2 : null;
        post.offensiveScore = signals.contains("offensive") ? 0.3 : null;
        return post;
    }
}
