package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.json;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

class GenericDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void genericPostWithEpochSeconds() {
        NormalizeResult result = normalizer.normalize(fixture("generic/post.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        assertThat(post.postId).isEqualTo("generic:42");
        assertThat(post.platform).isEqualTo("generic");
        assertThat(post.createdAt).isEqualTo(1730460000_000L);
        assertThat(post.authorId).isEqualTo("u1");
        assertThat(post.authorHandle).isEqualTo("someone_else");
        assertThat(post.authorName).isEqualTo("Some One");
        assertThat(post.lang).isEqualTo("en");
        assertThat(post.url).isEqualTo("https://example.org/posts/42");
        assertThat(post.kind).isEqualTo("post");
        assertThat(post.hashtags).containsExactly("world");
        assertThat(post.mentions).containsExactly("someone");
        assertThat(post.urls).containsExactly("https://example.org/x");
        assertThat(post.cashtags).containsExactly("AAPL");
    }

    @Test
    void createdAtForms() {
        long expected = millis("2024-11-01T12:00:00Z");
        for (String createdAt : new String[] {"\"2024-11-01T12:00:00Z\"", "\"2024-11-01T13:00:00+01:00\"",
                "\"2024-11-01T12:00:00\"", "1730462400", "1730462400000", "\"1730462400\"", "1730462400.0"}) {
            Post post = normalizer.normalize(json("{\"id\":\"a\",\"text\":\"t\",\"created_at\":" + createdAt + "}"), NOW).post();
            assertThat(post).as(createdAt).isNotNull();
            assertThat(post.createdAt).as(createdAt).isEqualTo(expected);
        }
    }

    @Test
    void dateRange() {
        assertThat(normalizer.normalize(json("{\"id\":\"a\",\"text\":\"t\",\"created_at\":\"1999-12-31T00:00:00Z\"}"), NOW)
                .reason()).isEqualTo("created_at 1999-12-31T00:00:00Z is before 2006 (generic post 'a')");
        assertThat(normalizer.normalize(json("{\"id\":\"a\",\"text\":\"t\",\"created_at\":\"2026-01-02T01:00:00Z\"}"), NOW)
                .reason()).isEqualTo("created_at 2026-01-02T01:00:00Z is more than 1 day in the future (generic post 'a')");
        assertThat(normalizer.normalize(json("{\"id\":\"a\",\"text\":\"t\",\"created_at\":\"2026-01-01T23:00:00Z\"}"), NOW)
                .isPost()).isTrue();
    }

    @Test
    void platformMustBeKnown() {
        assertThat(normalizer.normalize(json("{\"platform\":\"reddit\",\"id\":\"a\",\"text\":\"t\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\"}"), NOW).reason())
                .isEqualTo("platform 'reddit' is not one of x, bluesky, mastodon, generic");
    }
}
