package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X API v2 stream messages and search pages, fixtures after X's documented Post object. */
class XV2DialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void streamReplyWithExpansions() {
        RawRecord raw = fixture("x-v2/stream-reply.json");
        raw.matchedRules = new String[] {"space", "from-source"};
        NormalizeResult result = normalizer.normalize(raw, NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        assertThat(post.postId).isEqualTo("x:1852301478923456789");
        assertThat(post.platform).isEqualTo("x");
        assertThat(post.nativeId).isEqualTo("1852301478923456789");
        assertThat(post.url).isEqualTo("https://x.com/XDevelopers/status/1852301478923456789");
        assertThat(post.createdAt).isEqualTo(millis("2024-11-01T12:34:56Z"));
        assertThat(post.ingestedAt).isEqualTo(NOW);
        assertThat(post.authorId).isEqualTo("2244994945");
        assertThat(post.authorHandle).isEqualTo("XDevelopers");
        assertThat(post.authorName).isEqualTo("Developers");
        assertThat(post.authorLocation).isEqualTo("127.0.0.1");
        assertThat(post.authorFollowers).isEqualTo(583000L);
        assertThat(post.text).isEqualTo(
                "@nasa Artemis II crew photo from Kennedy is stunning #Artemis #NASA https://t.co/abc123XYZ0 $BA");
        assertThat(post.kind).isEqualTo("reply");
        assertThat(post.replyToId).isEqualTo("1852290000000000000");
        assertThat(post.quoteOfId).isNull();
        assertThat(post.repostOfId).isNull();
        assertThat(post.likeCount).isEqualTo(27L);
        assertThat(post.repostCount).isEqualTo(4L);
        assertThat(post.replyCount).isEqualTo(1L);
        assertThat(post.quoteCount).isZero();
        assertThat(post.hashtags).containsExactly("Artemis", "NASA");
        assertThat(post.mentions).containsExactly("nasa");
        assertThat(post.urls).containsExactly("https://www.nasa.gov/artemis-ii/");
        assertThat(post.cashtags).containsExactly("BA");
        assertThat(post.lang).isEqualTo("en");
        assertThat(post.geo).isEqualTo("{\"type\":\"Point\",\"coordinates\":[-80.6077,28.5729],"
                + "\"place\":\"Merritt Island, FL\",\"place_id\":\"01a9a39529b27f36\",\"country_code\":\"US\"}");
        assertThat(post.matchedRules).containsExactly("space", "1852000000000000002", "from-source");
    }

    @Test
    void retweetTakesTheOriginalNoteTweetText() {
        Post post = normalizer.normalize(fixture("x-v2/stream-retweet.json"), NOW).post();
        assertThat(post.kind).isEqualTo("repost");
        assertThat(post.repostOfId).isEqualTo("1852300000000000000");
        assertThat(post.text).endsWith("unless you read note_tweet. #API");
        assertThat(post.hashtags).containsExactly("API");
        assertThat(post.mentions).isEmpty();
        assertThat(post.authorHandle).isEqualTo("re_tweeter");
        assertThat(post.authorFollowers).isEqualTo(10L);
        assertThat(post.repostCount).isEqualTo(9L);
        assertThat(post.matchedRules).containsExactly("space");
    }

    @Test
    void searchPageGivesOneResultPerPost() {
        List<NormalizeResult> results = normalizer.normalizeAll(fixture("x-v2/search-page.json"), NOW);
        assertThat(results).hasSize(4);
        Post first = results.get(0).post();
        assertThat(first.postId).isEqualTo("x:1852500000000000001");
        assertThat(first.authorHandle).isEqualTo("seven");
        assertThat(first.hashtags).as("no entities given: found in the text").containsExactly("one");
        Post second = results.get(1).post();
        assertThat(second.kind).isEqualTo("quote");
        assertThat(second.quoteOfId).isEqualTo("1852500000000000001");
        assertThat(second.url).isEqualTo("https://x.com/i/web/status/1852500000000000002");
        Post third = results.get(2).post();
        assertThat(third.createdAtDerived).as("no created_at: the time comes from the id").isTrue();
        assertThat(third.createdAt).isEqualTo((1852500000000000003L >> 22) + XV2Dialect.SNOWFLAKE_EPOCH_MILLIS);
        assertThat(results.get(3).isRejected()).isTrue();
        assertThat(results.get(3).reason()).isEqualTo("data[3].created_at 'later' is not a date");

        NormalizeResult single = normalizer.normalize(fixture("x-v2/search-page.json"), NOW);
        assertThat(single.isRejected()).isTrue();
        assertThat(single.reason()).startsWith("search page with 4 posts");
    }

    @Test
    void aPostWithOnlyTheDefaultFieldsGetsItsTimeFromItsSnowflakeId() {
        // id, text and edit_history_tweet_ids are all X v2 sends unless asked for tweet.fields.
        NormalizeResult result = normalizer.normalize(fixture("x-v2/default-fields.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        // 1572965843451445248 >> 22 = 284128730370 ms after X's epoch 1288834974657.
        assertThat(post.createdAt).isEqualTo(millis("2022-09-22T15:07:36.027Z"));
        assertThat(post.createdAtDerived).isTrue();
        assertThat(post.authorId).isNull();
        assertThat(post.hashtags).as("no entities given: found in the text").containsExactly("Elezioni2022");
        assertThat(post.mentions).containsExactly("Mov5Stelle");
        assertThat(post.matchedRules).containsExactly("elezioni");
    }

    @Test
    void aGivenCreatedAtIsNotDerived() {
        Post post = normalizer.normalize(fixture("x-v2/stream-reply.json"), NOW).post();
        assertThat(post.createdAtDerived).isFalse();
    }

    @Test
    void anIdThatHoldsNoTimeIsRefusedWithTheReason() {
        assertThat(reason("{\"data\":{\"id\":\"20\",\"text\":\"just setting up my twttr\"}}"))
                .isEqualTo("missing data.created_at, and id 20 predates snowflake ids (November 2010), so it holds no time");
        assertThat(reason("{\"data\":[{\"id\":\"abc\",\"text\":\"t\"}]}"))
                .isEqualTo("data[0].id 'abc' is not an X id (X ids are decimal numbers)");
        assertThat(reason("{\"data\":{\"id\":\"99999999999999999999\",\"text\":\"t\"}}")).isEqualTo("data.id"
                + " '99999999999999999999' is larger than any X id can be (X ids are 64-bit numbers, at most 9223372036854775807)");
        assertThat(reason("{\"data\":{\"id\":\"1572965843451445248\",\"text\":\"t\",\"created_at\":\"soon\"}}"))
                .as("a created_at that is there but wrong is still refused").isEqualTo("data.created_at 'soon' is not a date");
        // The first snowflake id is the first one derived from.
        Post first = normalizer.normalize(RawRecords.json("{\"data\":{\"id\":\"" + XV2Dialect.FIRST_SNOWFLAKE_ID
                + "\",\"text\":\"t\"}}"), NOW).post();
        assertThat(first.createdAt).isEqualTo((XV2Dialect.FIRST_SNOWFLAKE_ID >> 22) + XV2Dialect.SNOWFLAKE_EPOCH_MILLIS);
        assertThat(first.createdAt).isBetween(millis("2010-11-04T00:00:00Z"), millis("2010-11-05T00:00:00Z"));
    }

    @Test
    void idsAreWrittenWithoutLeadingZerosSoOnePostHasOneId() {
        Post post = normalizer.normalize(RawRecords.json("{\"data\":{\"id\":\"0001572965843451445248\",\"text\":\"t\","
                + "\"author_id\":\"007\",\"referenced_tweets\":[{\"type\":\"replied_to\",\"id\":\"0146\"}]}}"), NOW).post();
        assertThat(post.postId).isEqualTo("x:1572965843451445248");
        assertThat(post.authorId).isEqualTo("7");
        assertThat(post.replyToId).isEqualTo("146");
        Post other = normalizer.normalize(RawRecords.json("{\"data\":{\"id\":\"1572965843451445248\",\"text\":\"t\","
                + "\"author_id\":\"u17\"}}"), NOW).post();
        assertThat(other.authorId).as("an optional id that is no number is kept as given, not lost").isEqualTo("u17");
        assertThat(RecordFields.xId("0", "id")).as("zero stays one digit").isEqualTo("0");
        assertThat(RecordFields.xId("9223372036854775807", "id")).isEqualTo("9223372036854775807");
        assertThat(reason("{\"data\":{\"id\":\"9223372036854775808\",\"text\":\"t\"}}")).startsWith("data.id"
                + " '9223372036854775808' is larger than any X id can be");
    }

    @Test
    void xEscapesAreDecodedSoTheTextMeansWhatItSays() {
        Post post = normalizer.normalize(fixture("x-v2/default-fields.json"), NOW).post();
        assertThat(post.text).isEqualTo(
                "salvini > meloni, ma il programma & i numeri? #Elezioni2022 @Mov5Stelle https://t.co/Qm3bXk2ZpA");
        // Entities found in the decoded text sit where the text says, after the decoded escapes.
        assertThat(post.text.substring(post.text.indexOf('#') + 1).split(" ")[0]).isEqualTo(post.hashtags[0]);
        assertThat(post.urls).containsExactly("https://t.co/Qm3bXk2ZpA");
    }

    @Test
    void theLinkToThePostsOwnPhotoIsNotAUrlOfThePost() {
        // 2021-22 payloads: the attached photo's URL entity has no media_key.
        Post post = normalizer.normalize(fixture("x-v2/media-url-2022.json"), NOW).post();
        assertThat(post.urls).containsExactly("https://www.reuters.com/world/europe/kyiv-2022-03-14/");
        assertThat(post.mentions).containsExactly("Reuters");

        // Known by its expanded_url alone when display_url is missing; another post's photo is a shared link.
        String own = "{\"data\":{\"id\":\"1503295632716591107\",\"text\":\"a b\",\"created_at\":\"2022-03-14T09:03:03.000Z\","
                + "\"entities\":{\"urls\":[{\"start\":0,\"end\":1,\"url\":\"https://t.co/a\","
                + "\"expanded_url\":\"https://twitter.com/Twitter/status/1503295632716591107/video/1\"},"
                + "{\"start\":2,\"end\":3,\"url\":\"https://t.co/b\","
                + "\"expanded_url\":\"https://twitter.com/nasa/status/1503000000000000000/photo/1\","
                + "\"display_url\":\"twitter.com/nasa/status/150\u2026\"}]}}}";
        assertThat(normalizer.normalize(RawRecords.json(own), NOW).post().urls)
                .containsExactly("https://twitter.com/nasa/status/1503000000000000000/photo/1");
    }

    @Test
    void searchPageOfOneIsOnePost() {
        NormalizeResult result = normalizer.normalize(RawRecords.json("{\"data\":[{\"id\":\"5\",\"text\":\"only\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\"}],\"meta\":{\"result_count\":1}}"), NOW);
        assertThat(result.post().postId).isEqualTo("x:5");
    }

    @Test
    void operationalDisconnectIsSkipped() {
        NormalizeResult result = normalizer.normalize(RawRecords.json("{\"errors\":[{\"title\":\"operational-disconnect\","
                + "\"disconnect_type\":\"UpstreamOperationalDisconnect\",\"detail\":\"This stream has been disconnected\","
                + "\"type\":\"https://api.x.com/2/problems/operational-disconnect\"}]}"), NOW);
        assertThat(result.isSkip()).isTrue();
        assertThat(result.reason()).contains("operational-disconnect");
    }

    @Test
    void wrongTypesNameTheField() {
        assertThat(reason("{\"data\": 5}")).isEqualTo("data is a number, expected an object or an array");
        assertThat(reason("{\"data\": {\"id\": {}, \"text\": \"a\", \"created_at\": \"2024-01-01T00:00:00Z\"}}"))
                .isEqualTo("data.id is an object, expected a string");
        assertThat(reason("{\"data\": {\"id\": \"1\", \"text\": 7, \"created_at\": \"2024-01-01T00:00:00Z\"}}"))
                .isEqualTo("data.text is a number, expected a string");
        assertThat(reason("{\"data\": {\"id\": \"1\", \"text\": \"a\", \"created_at\": [1]}}"))
                .isEqualTo("data.created_at is an array, expected a string");
        assertThat(reason("{\"data\": {\"id\": \"1\", \"text\": \"a\", \"created_at\": \"yesterday\"}}"))
                .isEqualTo("data.created_at 'yesterday' is not a date");
    }

    private String reason(String json) {
        NormalizeResult result = normalizer.normalize(RawRecords.json(json), NOW);
        assertThat(result.isRejected()).as(result.toString()).isTrue();
        return result.reason();
    }
}
