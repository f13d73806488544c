package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

/** Mastodon status entities, fixtures after the Mastodon API documentation's Status example. */
class MastodonDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void statusWithHtmlContent() {
        NormalizeResult result = normalizer.normalize(fixture("mastodon/status.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        assertThat(post.postId).isEqualTo("mastodon:103270115826048975");
        assertThat(post.platform).isEqualTo("mastodon");
        assertThat(post.url).isEqualTo("https://mastodon.social/@Gargron/103270115826048975");
        assertThat(post.createdAt).isEqualTo(millis("2019-12-08T03:48:33.901Z"));
        assertThat(post.authorId).isEqualTo("1");
        assertThat(post.authorHandle).isEqualTo("Gargron");
        assertThat(post.authorName).isEqualTo("Eugen 💀");
        assertThat(post.authorFollowers).isEqualTo(322930L);
        assertThat(post.text).isEqualTo("@alice Fish & chips <3 \"tonight\"'s plan\nsecond line #FoodFriday\n\n"
                + "Menu: https://example.com/menu?a=1&b=2 $GOOG");
        assertThat(post.kind).isEqualTo("reply");
        assertThat(post.replyToId).isEqualTo("103270100000000000");
        assertThat(post.likeCount).isEqualTo(11L);
        assertThat(post.repostCount).isEqualTo(6L);
        assertThat(post.replyCount).isEqualTo(5L);
        assertThat(post.quoteCount).isNull();
        assertThat(post.hashtags).containsExactly("foodfriday");
        assertThat(post.mentions).containsExactly("alice");
        assertThat(post.urls).containsExactly("https://example.com/menu?a=1&b=2");
        assertThat(post.cashtags).containsExactly("GOOG");
        assertThat(post.lang).isEqualTo("en");
        assertThat(post.editedAt).as("edited_at null: the first version").isNull();
    }

    @Test
    void anEditedStatusIsItsNewestVersion() throws Exception {
        // As the timeline endpoints (gap fill) return a status edited since it was posted.
        com.fasterxml.jackson.databind.node.ObjectNode status = statusJson();
        status.put("edited_at", "2019-12-08T04:02:10.000Z");
        Post post = normalizer.normalize(RawRecords.json(status.toString()), NOW).post();
        assertThat(post.editedAt).isEqualTo(millis("2019-12-08T04:02:10.000Z"));
        assertThat(post.createdAt).isEqualTo(millis("2019-12-08T03:48:33.901Z"));
    }

    @Test
    void anEditedAtOfTheWrongTypeIsNullAndThePostKept() throws Exception {
        for (String bad : new String[] {"42", "\"yesterday\"", "{}"}) {
            com.fasterxml.jackson.databind.node.ObjectNode status = statusJson();
            status.set("edited_at", new com.fasterxml.jackson.databind.ObjectMapper().readTree(bad));
            NormalizeResult result = normalizer.normalize(RawRecords.json(status.toString()), NOW);
            assertThat(result.isPost()).as(bad + " -> " + result).isTrue();
            assertThat(result.post().editedAt).as(bad).isNull();
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode statusJson() throws Exception {
        return (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(fixture("mastodon/status.json").bytes);
    }

    @Test
    void reblogTakesTheReblogsText() {
        Post post = normalizer.normalize(fixture("mastodon/reblog.json"), NOW).post();
        assertThat(post.kind).isEqualTo("repost");
        assertThat(post.repostOfId).isEqualTo("113399999999999999");
        assertThat(post.text).isEqualTo("Hallo @dave@chaos.social #Flink");
        assertThat(post.mentions).containsExactly("dave@chaos.social");
        assertThat(post.hashtags).containsExactly("Flink");
        assertThat(post.urls).isEmpty();
        assertThat(post.authorHandle).isEqualTo("bob@fosstodon.org");
        assertThat(post.authorName).as("blank display name").isNull();
        assertThat(post.lang).isEqualTo("de");
        assertThat(post.url).isEqualTo("https://fosstodon.org/users/bob/statuses/113400000000000002/activity");
    }
}
