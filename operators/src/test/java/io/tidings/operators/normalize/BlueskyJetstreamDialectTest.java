package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

/** Bluesky Jetstream events, fixtures after the Jetstream README's examples. */
class BlueskyJetstreamDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void postWithFacets() {
        NormalizeResult result = normalizer.normalize(fixture("bluesky/post.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        assertThat(post.postId).isEqualTo("bluesky:did:plc:eygmaihciaxprqvxpfvl6flk/3l3qo2vuowo2b");
        assertThat(post.platform).isEqualTo("bluesky");
        assertThat(post.nativeId).isEqualTo("did:plc:eygmaihciaxprqvxpfvl6flk/3l3qo2vuowo2b");
        assertThat(post.url).isEqualTo("https://bsky.app/profile/did:plc:eygmaihciaxprqvxpfvl6flk/post/3l3qo2vuowo2b");
        assertThat(post.authorId).isEqualTo("did:plc:eygmaihciaxprqvxpfvl6flk");
        assertThat(post.authorHandle).isNull();
        assertThat(post.text).isEqualTo("Café news 🎉 #Jetstream from @jaz.bsky.social: docs.bsky.app/blog");
        assertThat(post.createdAt).isEqualTo(millis("2024-09-09T19:46:02.102Z"));
        assertThat(post.lang).isEqualTo("en");
        assertThat(post.kind).isEqualTo("post");
        assertThat(post.hashtags).containsExactly("Jetstream");
        assertThat(post.mentions).as("the handle at the facet's bytes, as other platforms hold").containsExactly("jaz.bsky.social");
        assertThat(post.mentionDids).containsExactly("did:plc:q6gjnaw2blty4crticxkmujt");
        assertThat(post.urls).containsExactly("https://docs.bsky.app/blog");
        assertThat(post.cashtags).isEmpty();
        assertThat(post.likeCount).isNull();
        assertThat(post.ingestedAt).isEqualTo(NOW);
    }

    @Test
    void mentionsAreHandlesReadAtTheFacetsByteRangesAndTheDidsAreKeptApart() {
        // Byte offsets count UTF-8: "Grüße 👋 " is 13 bytes but 8 chars (the emoji is 2 chars, 4 bytes).
        Post post = normalizer.normalize(fixture("bluesky/mentions.json"), NOW).post();
        assertThat(post.text).isEqualTo("Grüße 👋 @jay.bsky.team and @pfrazee.com, thanks!");
        // The third facet's range cuts the emoji: no handle can be read there, so its DID stands in
        // for the handle; the two lists stay parallel (entry i of each is the same mention).
        assertThat(post.mentions).containsExactly("jay.bsky.team", "pfrazee.com", "did:plc:bogusrangebogusrangebog");
        assertThat(post.mentionDids).containsExactly(
                "did:plc:oky5czdrnfjpqslsw2a5iclo", "did:plc:ragtjsm2j2vknwkz3zp4oxrd", "did:plc:bogusrangebogusrangebog");
    }

    @Test
    void mentionsAndTheirDidsStayParallelWhenFacetsRepeatOrLackADid() {
        String event = "{\"did\":\"did:plc:author\",\"time_us\":1725911162329308,\"kind\":\"commit\",\"commit\":{"
                + "\"rev\":\"3l3qo2vutsw2b\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3kpar\","
                + "\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"2024-09-09T19:46:02.102Z\","
                + "\"text\":\"@a.example @b.example @a.example\",\"facets\":["
                + mention(0, 10, "did:plc:aaa") + "," + mention(11, 21, null) + "," + mention(22, 32, "did:plc:aaa") + ","
                + mention(11, 21, "did:plc:bbb") + "]}}}";
        Post post = normalizer.normalize(RawRecords.json(event), NOW).post();
        assertThat(post.mentions).containsExactly("a.example", "b.example");
        assertThat(post.mentionDids).as("a facet without a DID is no mention; a repeated DID counts once")
                .containsExactly("did:plc:aaa", "did:plc:bbb");
    }

    @Test
    void withoutFacetsTheHandlesOfTheTextAreTheMentionsWholeAndNoDidIsInvented() {
        String event = "{\"did\":\"did:plc:author\",\"time_us\":1725911162329308,\"kind\":\"commit\",\"commit\":{"
                + "\"rev\":\"3l3qo2vutsw2c\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3knof\","
                + "\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"2024-09-09T19:46:02.102Z\","
                + "\"text\":\"hi @kim.test and @Lee.bsky.social. mail me@x.org, @nodot\",\"facets\":%s}}}";
        for (String facets : new String[] {"null", "\"not a list\""}) {
            Post post = normalizer.normalize(RawRecords.json(event.formatted(facets)), NOW).post();
            assertThat(post.mentions).as(facets).containsExactly("kim.test", "lee.bsky.social");
            assertThat(post.mentionDids).isEmpty();
        }
    }

    private static String mention(int start, int end, String did) {
        return "{\"index\":{\"byteStart\":" + start + ",\"byteEnd\":" + end + "},\"features\":[{\"$type\":"
                + "\"app.bsky.richtext.facet#mention\"" + (did == null ? "" : ",\"did\":\"" + did + "\"") + "}]}";
    }

    @Test
    void aMentionRangeThatIsNotAnAtHandleGivesNoHandle() {
        byte[] text = "hi @alice.example.com! and more".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, index(3, 21))).isEqualTo("alice.example.com");
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, index(3, 22))).as("takes in the '!'").isNull();
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, index(0, 2))).as("no @").isNull();
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, index(3, 99))).as("past the end").isNull();
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, index(-1, 4))).isNull();
        assertThat(BlueskyJetstreamDialect.mentionedHandle(text, null)).isNull();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode index(int start, int end) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("byteStart", start).put("byteEnd", end);
    }

    @Test
    void replyThatQuotesWithMedia() {
        Post post = normalizer.normalize(fixture("bluesky/reply-quote.json"), NOW).post();
        assertThat(post.kind).as("quote wins over reply").isEqualTo("quote");
        assertThat(post.replyToId).isEqualTo("did:plc:eygmaihciaxprqvxpfvl6flk/3l3qo2vuowo2b");
        assertThat(post.quoteOfId).isEqualTo("did:plc:quoted/3kquoted");
        assertThat(post.createdAt).isEqualTo(millis("2024-09-09T17:47:00Z"));
        assertThat(post.lang).isNull();
        assertThat(post.hashtags).as("no facets: found in the text").containsExactly("thread");
    }

    @Test
    void deleteIsADeletionSkip() {
        NormalizeResult result = normalizer.normalize(fixture("bluesky/delete.json"), NOW);
        assertThat(result.isSkip()).isTrue();
        assertThat(result.deletedPostId()).isEqualTo("bluesky:did:plc:eygmaihciaxprqvxpfvl6flk/3l3qo2vuowo2b");
        assertThat(result.deletedAt()).as("time_us in ms").isEqualTo(1725911162529L);
    }

    @Test
    void otherCollectionsAndKindsAreSkipped() {
        NormalizeResult like = normalizer.normalize(fixture("bluesky/like.json"), NOW);
        assertThat(like.isSkip()).isTrue();
        assertThat(like.reason()).contains("app.bsky.feed.like");
        assertThat(like.deletedPostId()).isNull();
        NormalizeResult identity = normalizer.normalize(fixture("bluesky/identity.json"), NOW);
        assertThat(identity.isSkip()).isTrue();
        assertThat(identity.reason()).contains("identity");
    }

    @Test
    void postWithoutRecordIsRejected() {
        NormalizeResult result = normalizer.normalize(RawRecords.json("{\"did\":\"did:plc:x\",\"kind\":\"commit\","
                + "\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3k\"}}"), NOW);
        assertThat(result.reason()).isEqualTo("missing commit.record");
    }
}
