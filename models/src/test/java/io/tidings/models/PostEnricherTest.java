package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PostEnricher} with the lookup fixture model and the real language identifier. */
class PostEnricherTest {

    private static SharedModels.Lease lease;
    private static PostEnricher enricher;

    @BeforeAll
    static void load() {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        lease = SharedModels.acquire(ModelLocation.of(FixtureModels.multitask()), 1);
        enricher = new PostEnricher(lease.model(), LanguageIdentifier.shared());
    }

    @AfterAll
    static void release() {
        if (lease != null) {
            lease.close();
        }
    }

    private static Post post(String text, String lang) {
        Post post = new Post();
        post.postId = "x:" + text.hashCode();
        post.text = text;
        post.lang = lang;
        return post;
    }

    @Test
    void scoresEnglishPostsAndLeavesOthersUnscored() {
        Post english = post("😀 I love how Barack Obama talks about New York, honestly great speech", "en");
        Post spanish = post("Me encanta cómo habla Barack Obama sobre Nueva York, de verdad", "es");
        Post shortEnglish = post("love it", "en");
        Post shortUndeclared = post("love it", null);
        Post shortOther = post("love it", "und");
        Post blank = post("   ", "en");
        // invisible: zero-width space, joiner, byte-order mark, right-to-left mark, no-break space
        Post invisible = post("\u200B\u200D\uFEFF\u200F\u00A0", "en");
        Post noText = post("x", "en");
        noText.text = null;
        List<Post> posts = new ArrayList<>(List.of(english, spanish, shortEnglish, shortUndeclared, shortOther, blank, invisible, noText));

        assertThat(enricher.enrich(posts)).hasSize(8);

        assertThat(english.langDetected).isEqualTo("en");
        assertThat(english.langConfidence).isPositive();
        assertThat(english.sentiment).isEqualTo("positive");
        assertThat(english.pNegative + english.pNeutral + english.pPositive).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(english.sentimentScore).isEqualTo(english.pPositive);
        assertThat(english.modelVersion).isEqualTo("fixture-lookup@test");
        assertThat(english.entities).extracting(e -> e.text).containsExactly("Barack Obama", "New York");
        for (var e : english.entities) {
            assertThat(english.text.substring(e.start, e.end)).isEqualTo(e.text);
        }

        assertThat(spanish.langDetected).isEqualTo("es");
        assertThat(spanish.sentiment).isNull();
        assertThat(spanish.modelVersion).isNull();
        assertThat(spanish.entities).isEmpty();

        assertThat(shortEnglish.langDetected).isNull();
        assertThat(shortEnglish.sentiment).isEqualTo("positive");
        assertThat(shortUndeclared.sentiment).isEqualTo("positive");
        assertThat(shortOther.sentiment).isNull();
        assertThat(blank.sentiment).isNull();
        assertThat(invisible.sentiment).isNull();
        assertThat(invisible.emotion).isNull();
        assertThat(invisible.modelVersion).isNull();
        assertThat(noText.sentiment).isNull();
        assertThat(noText.langDetected).isNull();
    }

    @Test
    void handlesAnEmptyBatch() {
        assertThat(enricher.enrich(new ArrayList<>())).isEmpty();
    }
}
