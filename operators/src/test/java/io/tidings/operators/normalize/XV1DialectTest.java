package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import org.junit.jupiter.api.Test;

/**
 * X API v1.1 statuses. {@code reply.json}, {@code geo.json} and {@code float-id.json} are real
 * statuses from the Broad Twitter Corpus (CC-BY 4.0; user objects and media sizes trimmed). The
 * shared dataset holds no retweets, quotes or extended tweets, so {@code retweet-of-extended.json}
 * and {@code quote-extended.json} are written after X's documented v1.1 shapes.
 */
class XV1DialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    private Post post(String name) {
        NormalizeResult result = normalizer.normalize(fixture(name), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        return result.post();
    }

    @Test
    void realReplyWithMention() {
        Post post = post("x-v1.1/reply.json");
        assertThat(post.postId).isEqualTo("x:161394081933705218");
        assertThat(post.platform).isEqualTo("x");
        assertThat(post.nativeId).isEqualTo("161394081933705218");
        assertThat(post.url).isEqualTo("https://x.com/LifestyleOnline/status/161394081933705218");
        assertThat(post.createdAt).isEqualTo(millis("2012-01-23T10:25:22Z"));
        assertThat(post.ingestedAt).isEqualTo(NOW);
        assertThat(post.authorId).isEqualTo("21587705");
        assertThat(post.authorHandle).isEqualTo("LifestyleOnline");
        assertThat(post.authorName).isEqualTo("Carolyn Williams");
        assertThat(post.authorFollowers).isEqualTo(5028L);
        assertThat(post.authorLocation).isEqualTo("Swansea, Wales");
        assertThat(post.text).isEqualTo(
                "Can you nudge me the next time you have a @TEDxCardiff? Thank You. C http://t.co/hnWhTIov");
        assertThat(post.kind).isEqualTo("reply");
        assertThat(post.replyToId).isEqualTo("161393751732920321");
        assertThat(post.quoteOfId).isNull();
        assertThat(post.repostOfId).isNull();
        assertThat(post.likeCount).isZero();
        assertThat(post.repostCount).isZero();
        assertThat(post.replyCount).isNull();
        assertThat(post.quoteCount).isNull();
        assertThat(post.mentions).containsExactly("TEDxCardiff");
        assertThat(post.hashtags).isEmpty();
        assertThat(post.urls).as("media links are not URLs").isEmpty();
        assertThat(post.cashtags).isEmpty();
        assertThat(post.lang).isEqualTo("en");
        assertThat(post.geo).isNull();
        assertThat(post.matchedRules).isEmpty();
    }

    @Test
    void realStatusWithCoordinatesAndPlace() {
        Post post = post("x-v1.1/geo.json");
        assertThat(post.postId).isEqualTo("x:153545344406388736");
        assertThat(post.kind).isEqualTo("post");
        assertThat(post.createdAt).isEqualTo(millis("2012-01-01T18:37:17Z"));
        assertThat(post.authorHandle).isEqualTo("ShiplakeHM");
        assertThat(post.geo).isEqualTo("{\"type\":\"Point\",\"coordinates\":[-0.90528689,51.53734894],"
                + "\"place\":\"South Oxfordshire, England\",\"place_id\":\"c321b89bedda20db\",\"country_code\":\"GB\"}");
    }

    @Test
    void floatIdIsIgnoredInFavourOfIdStr() {
        RawRecord raw = fixture("x-v1.1/float-id.json");
        raw.matchedRules = new String[] {"mh17"};
        Post post = normalizer.normalize(raw, NOW).post();
        assertThat(post.nativeId).isEqualTo("489796220685021184");
        assertThat(post.authorLocation).as("blank location").isNull();
        assertThat(post.hashtags).containsExactly("MH17", "Amsterdam");
        assertThat(post.mentions).containsExactly("MAS");
        assertThat(post.urls).containsExactly("http://on.rt.com/bj771r");
        assertThat(post.likeCount).isEqualTo(134L);
        assertThat(post.repostCount).isEqualTo(1341L);
        assertThat(post.matchedRules).containsExactly("mh17");
    }

    @Test
    void floatIdWithoutIdStrIsRejected() {
        NormalizeResult result = normalizer.normalize(RawRecords.json(
                "{\"id\": 4.8979622068502e+17, \"text\": \"hi\", \"user\": {\"screen_name\": \"a\"},"
                        + " \"created_at\": \"Thu Jul 17 15:38:13 +0000 2014\"}"), NOW);
        assertThat(result.isRejected()).isTrue();
        assertThat(result.reason()).startsWith("id is a floating-point number");
    }

    @Test
    void retweetOfExtendedTweetKeepsTheOriginalFullText() {
        Post post = post("x-v1.1/retweet-of-extended.json");
        assertThat(post.postId).isEqualTo("x:926086014102736896");
        assertThat(post.kind).isEqualTo("repost");
        assertThat(post.repostOfId).isEqualTo("926068813555851264");
        assertThat(post.text).isEqualTo("Our researchers have found that the Broad Twitter Corpus helps named entity "
                + "recognition across regions, genres and years. Read the paper: https://t.co/Xy12Ab34Cd #NLProc #NER "
                + "with @leonderczynski $TWTR");
        assertThat(post.hashtags).containsExactly("NLProc", "NER");
        assertThat(post.mentions).containsExactly("leonderczynski");
        assertThat(post.urls).containsExactly("https://aclanthology.org/C16-1111/");
        assertThat(post.cashtags).containsExactly("TWTR");
        assertThat(post.authorHandle).as("the retweeter").isEqualTo("ana_reads");
        assertThat(post.authorId).isEqualTo("1234567890");
        assertThat(post.authorFollowers).isEqualTo(311L);
        assertThat(post.authorLocation).isEqualTo("Bristol");
        assertThat(post.createdAt).isEqualTo(millis("2017-11-02T14:10:05Z"));
        assertThat(post.repostCount).isEqualTo(12L);
        assertThat(post.quoteCount).isZero();
        assertThat(post.url).isEqualTo("https://x.com/ana_reads/status/926086014102736896");
    }

    @Test
    void truncatedQuoteUsesExtendedTweet() {
        Post post = post("x-v1.1/quote-extended.json");
        assertThat(post.kind).isEqualTo("quote");
        assertThat(post.quoteOfId).isEqualTo("926068813555851264");
        assertThat(post.text).endsWith("Any plans for a 2018 update? #BTC");
        assertThat(post.hashtags).containsExactly("BTC");
        assertThat(post.urls).isEmpty();
        assertThat(post.replyCount).as("count given as a string").isEqualTo(2L);
        assertThat(post.repostCount).as("negative count").isNull();
        assertThat(post.likeCount).isEqualTo(5L);
        assertThat(post.quoteCount).isEqualTo(1L);
    }

    @Test
    void extendedModeFullText() {
        Post post = normalizer.normalize(RawRecords.json("{\"id_str\": \"1\", \"full_text\": \"full &amp; long\","
                + " \"text\": \"short\", \"created_at\": \"Sat Sep 01 00:00:00 +0000 2018\","
                + " \"entities\": {\"hashtags\": [], \"user_mentions\": [], \"urls\": [], \"symbols\": []}}"), NOW).post();
        assertThat(post.text).as("X's escapes decoded (issue 18)").isEqualTo("full & long");
        assertThat(post.createdAt).isEqualTo(millis("2018-09-01T00:00:00Z"));
        assertThat(post.url).isEqualTo("https://x.com/i/web/status/1");
    }

    @Test
    void streamNoticesAreSkipped() {
        NormalizeResult delete = normalizer.normalize(RawRecords.json(
                "{\"delete\":{\"status\":{\"id\":1234,\"id_str\":\"1234\",\"user_id\":3,\"user_id_str\":\"3\"}}}"), NOW);
        assertThat(delete.isSkip()).isTrue();
        assertThat(delete.deletedPostId()).isEqualTo("x:1234");
        assertThat(delete.deletedAt()).as("no timestamp_ms").isNull();
        NormalizeResult stamped = normalizer.normalize(RawRecords.json(
                "{\"delete\":{\"status\":{\"id_str\":\"99\"},\"timestamp_ms\":\"1725911162529\"}}"), NOW);
        assertThat(stamped.deletedPostId()).isEqualTo("x:99");
        assertThat(stamped.deletedAt()).isEqualTo(1725911162529L);
        NormalizeResult limit = normalizer.normalize(RawRecords.json("{\"limit\":{\"track\":1234}}"), NOW);
        assertThat(limit.isSkip()).isTrue();
        assertThat(limit.reason()).contains("limit");
    }
}
