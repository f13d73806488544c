package io.tidings.operators.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link EnrichmentBatcher}: a post the models fail on goes on unscored, with no model answer left on it. */
class EnrichmentBatcherTest {

    @Test
    void aPostTheModelsFailOnGoesOnWithoutAnyModelAnswer() throws Exception {
        BatchEnricher failing = posts -> {
            throw new IllegalStateException("ONNX Runtime failed");
        };
        try (EnrichmentBatcher batcher = new EnrichmentBatcher(failing, 4, 0, 1)) {
            // as a rescore hands it in: the post with the answers of its row in the lake
            Post post = new Post();
            post.postId = "x:1";
            post.sentiment = "negative";
            post.sentimentScore = 0.9;
            post.pNegative = 0.9;
            post.pNeutral = 0.05;
            post.pPositive = 0.05;
            post.modelVersion = "tweet-multitask@old";
            post.entities = new EntityMention[] {new EntityMention("Berlin", "LOC", 0, 6, 0.9)};
            post.emotion = "anger";
            post.emotionScore = 0.8;
            post.offensive = true;
            post.offensiveScore = 0.7;
            post.hate = false;
            post.hateScore = 0.1;
            post.irony = false;
            post.ironyScore = 0.2;

            Post done = batcher.submit(post).get(10, TimeUnit.SECONDS);

            assertThat(batcher.failures()).isEqualTo(1);
            assertThat(done.sentiment).isNull();
            assertThat(done.sentimentScore).isNull();
            assertThat(done.pNegative).isNull();
            assertThat(done.modelVersion).isNull();
            assertThat(done.entities).isEmpty();
            assertThat(done.emotion).isNull();
            assertThat(done.emotionScore).isNull();
            assertThat(done.offensive).isNull();
            assertThat(done.offensiveScore).isNull();
            assertThat(done.hate).isNull();
            assertThat(done.hateScore).isNull();
            assertThat(done.irony).isNull();
            assertThat(done.ironyScore).isNull();
        }
    }
}
