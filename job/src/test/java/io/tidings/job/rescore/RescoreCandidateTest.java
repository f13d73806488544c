package io.tidings.job.rescore;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

/**
 * The rescore's rule "a post whose new row would change nothing gets no row" ({@link
 * RescoreCandidate#changesNothing}): the model version decides, and so do issue 21's signals, so a
 * lake scored before the runtime read those heads gets them filled by a rescore with the same model.
 */
class RescoreCandidateTest {
    private static final String MODEL = "tweet-multitask@1";

    @Test
    void theSameModelsScoringChangesNothing() {
        assertThat(candidate(MODEL, false, scored(MODEL, false)).changesNothing()).isTrue();
        assertThat(candidate(MODEL, true, scored(MODEL, true)).changesNothing()).isTrue();
        assertThat(candidate(null, false, scored(null, false)).changesNothing()).as("scored by no model, then or now").isTrue();
    }

    @Test
    void anotherModelChangesTheRow() {
        assertThat(candidate("tweet-multitask@0", true, scored(MODEL, true)).changesNothing()).isFalse();
        assertThat(candidate(null, false, scored(MODEL, false)).changesNothing()).isFalse();
    }

    @Test
    void signalsTheRowHadNotChangeIt() {
        assertThat(candidate(MODEL, false, scored(MODEL, true)).changesNothing()).isFalse();
        // and the reverse: the same version read by a runtime without the heads drops them from the view
        assertThat(candidate(MODEL, true, scored(MODEL, false)).changesNothing()).isFalse();
    }

    private static RescoreCandidate candidate(String rowModel, boolean rowHasSignals, Post scored) {
        return new RescoreCandidate(scored, 1L, 2L, false, rowModel, rowHasSignals);
    }

    /** The post after the enrichment step: its model version, with or without one signal. */
    private static Post scored(String model, boolean withSignals) {
        Post post = new Post();
        post.postId = "x:1";
        post.modelVersion = model;
        if (withSignals) {
            post.ironyScore = 0.2;
        }
        return post;
    }
}
