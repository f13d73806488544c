package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.fixture;
import static io.tidings.operators.normalize.RawRecords.json;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

/**
 * Mastodon streaming events as the WebSocket delivers them ({@code {"stream","event","payload"}}, the
 * payload a string), fixtures written after the streaming API documentation with the Status entity of
 * {@code mastodon/status.json} inside.
 */
class MastodonStreamingDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    @Test
    void anUpdateIsThePostItsPayloadHolds() {
        NormalizeResult result = normalizer.normalize(fixture("mastodon/streaming-update.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        Post plain = normalizer.normalize(fixture("mastodon/status.json"), NOW).post();
        assertThat(post.postId).isEqualTo("mastodon:103270115826048975");
        assertThat(post.text).isEqualTo(plain.text);
        assertThat(post.createdAt).isEqualTo(millis("2019-12-08T03:48:33.901Z"));
        assertThat(post.authorHandle).isEqualTo("Gargron");
        assertThat(post.hashtags).containsExactly("foodfriday");
        assertThat(post.kind).isEqualTo("reply");
    }

    @Test
    void anEditIsThePostWithItsEditedText() {
        NormalizeResult result = normalizer.normalize(fixture("mastodon/streaming-status-update.json"), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        assertThat(result.post().postId).isEqualTo("mastodon:103270115826048975");
        assertThat(result.post().text).isEqualTo("Fish & chips tonight, edited: #FoodFriday");
        assertThat(result.post().createdAt).as("an edit keeps the status's creation time")
                .isEqualTo(millis("2019-12-08T03:48:33.901Z"));
        assertThat(result.post().editedAt).as("the version: the status's edited_at")
                .isEqualTo(millis("2019-12-08T04:02:10.000Z"));
        assertThat(normalizer.normalize(fixture("mastodon/streaming-update.json"), NOW).post().editedAt)
                .as("a new status is the first version").isNull();
    }

    @Test
    void anEditThatDoesNotSayWhichVersionItIsIsRefused() {
        String edit = new String(fixture("mastodon/streaming-status-update.json").bytes, java.nio.charset.StandardCharsets.UTF_8);
        String dated = "\\\"edited_at\\\":\\\"2019-12-08T04:02:10.000Z\\\"";
        assertThat(edit).contains(dated);
        assertRejected(edit.replace(dated, "\\\"edited_at\\\":null"),
                "Mastodon status.update payload: edited_at is null, expected a date (an edit must say which version it is)");
        assertRejected(edit.replace(dated, "\\\"edited_at\\\":\\\"soon\\\""),
                "Mastodon status.update payload: edited_at 'soon' is not a date");
        assertRejected(edit.replace(dated + ",", ""), "Mastodon status.update payload: edited_at is missing");
    }

    @Test
    void aDeleteIsADeletionOfTheStatus() {
        NormalizeResult result = normalizer.normalize(fixture("mastodon/streaming-delete.json"), NOW);
        assertThat(result.isDeletion()).as(result.toString()).isTrue();
        assertThat(result.deletedPostId()).isEqualTo("mastodon:103270115826048975");
        assertThat(result.deletedAt()).as("Mastodon does not say when: the time it was read").isNull();
    }

    @Test
    void eventsThatCarryNoPostAreSkippedWithTheirName() {
        NormalizeResult result = normalizer.normalize(json(
                "{\"stream\":[\"user\"],\"event\":\"notification\",\"payload\":\"{\\\"id\\\":\\\"34975861\\\"}\"}"), NOW);
        assertThat(result.isSkip()).isTrue();
        assertThat(result.isDeletion()).isFalse();
        assertThat(result.reason()).isEqualTo("Mastodon streaming event 'notification' carries no post");
    }

    @Test
    void anEventWithoutAPayloadThatNeedsNoneIsSkipped() {
        NormalizeResult result = normalizer.normalize(json("{\"stream\":[\"user\"],\"event\":\"filters_changed\"}"), NOW);
        assertThat(result.isSkip()).as(result.toString()).isTrue();
        assertThat(result.reason()).isEqualTo("Mastodon streaming event 'filters_changed' carries no post");
    }

    @Test
    void payloadsThatAreNotWhatTheEventSaysAreRejectedWithTheReason() {
        assertRejected("{\"event\":\"update\",\"payload\":\"{\\\"id\\\":\\\"1\\\",\\\"content\\\":\"}",
                "Mastodon update payload: invalid JSON at");
        assertRejected("{\"event\":\"update\",\"payload\":\"[1,2]\"}",
                "Mastodon update payload: top-level JSON is an array, expected an object");
        assertRejected("{\"event\":\"update\",\"payload\":42}", "Mastodon update payload is a number, expected a status");
        assertRejected("{\"event\":\"status.update\",\"payload\":\"{\\\"content\\\":\\\"<p>x</p>\\\",\\\"account\\\":{}}\"}",
                "Mastodon status.update payload: missing id");
        assertRejected("{\"event\":\"delete\",\"payload\":{\"id\":\"1\"}}",
                "Mastodon delete payload is an object, expected the status id");
        assertRejected("{\"event\":\"delete\",\"payload\":\"\"}", "Mastodon delete payload is empty");
        // A delete must name a status: not a word, not a bare number (Mastodon sends the id as a string).
        assertRejected("{\"event\":\"delete\",\"payload\":\"abc\"}",
                "Mastodon delete payload 'abc' is not a status id (a string of digits)");
        assertRejected("{\"event\":\"delete\",\"payload\":123}", "Mastodon delete payload is a number, expected the status id");
        // An update or delete that lost its payload is refused, not skipped.
        assertRejected("{\"stream\":[\"hashtag\",\"test\"],\"event\":\"delete\"}", "Mastodon delete event without a payload");
        assertRejected("{\"stream\":[\"hashtag\",\"test\"],\"event\":\"update\"}", "Mastodon update event without a payload");
        assertRejected("{\"event\":7,\"payload\":\"1\"}", "Mastodon streaming event name is a number, expected a string");
    }

    private void assertRejected(String record, String reason) {
        NormalizeResult result = normalizer.normalize(json(record), NOW);
        assertThat(result.isRejected()).as(record + " -> " + result).isTrue();
        assertThat(result.reason()).startsWith(reason);
    }
}
