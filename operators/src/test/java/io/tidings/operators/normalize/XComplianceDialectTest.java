package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.json;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Events of X's post compliance stream, shaped as docs.x.com (compliance data objects) shows them. */
class XComplianceDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    private NormalizeResult read(String json) {
        return normalizer.normalize(json(json), NOW);
    }

    @Test
    void aDeleteIsADeletionOfThePostAtEventAt() {
        NormalizeResult result = read("{\"data\":{\"delete\":{\"tweet\":{\"id\":\"601430178305220608\","
                + "\"author_id\":\"3198576760\"},\"event_at\":\"2022-12-23T12:34:56.789Z\"}}}");
        assertThat(result.isSkip()).as(result.toString()).isTrue();
        assertThat(result.isDeletion()).isTrue();
        assertThat(result.deletedPostId()).isEqualTo("x:601430178305220608");
        assertThat(result.deletedAt()).isEqualTo(millis("2022-12-23T12:34:56.789Z"));
        assertThat(result.reason()).isEqualTo("X compliance delete of post 601430178305220608");
    }

    @Test
    void aDeleteForAQuoteStillDeletesTheQuotedPostOnlyAndABadEventAtKeepsTheDelete() {
        NormalizeResult result = read("{\"data\":{\"delete\":{\"event_at\":\"yesterday\",\"tweet\":{\"author_id\":\"2244994945\","
                + "\"id\":\"1346889436626259968\"},\"quote_tweet_id\":\"1346889436626259999\"}}}");
        assertThat(result.deletedPostId()).isEqualTo("x:1346889436626259968");
        assertThat(result.deletedAt()).as("the time of reading stands in").isNull();
    }

    @Test
    void aDeleteWithoutAPostIdIsADeadLetter() {
        NormalizeResult result = read("{\"data\":{\"delete\":{\"tweet\":{\"author_id\":\"1\"},\"event_at\":\"2022-12-23T12:34:56.789Z\"}}}");
        assertThat(result.isRejected()).isTrue();
        assertThat(result.reason()).contains("data.delete.tweet.id");
    }

    @Test
    void editsWithholdingsAndDropsAreSkippedWithTheirReason() {
        NormalizeResult edit = read("{\"data\":{\"tweet_edit\":{\"tweet\":{\"id\":\"1567233994734948354\"},"
                + "\"initial_tweet_id\":\"1567233844205453313\",\"edit_tweet_ids\":[\"1567233844205453313\","
                + "\"1567233994734948354\"],\"event_at\":\"2022-09-06T19:31:16.801Z\"}}}");
        assertThat(edit.isSkip()).isTrue();
        assertThat(edit.isDeletion()).isFalse();
        assertThat(edit.reason()).startsWith("X compliance tweet_edit of post 1567233994734948354: not applied");
        for (String event : new String[] {"withheld", "drop", "undrop"}) {
            NormalizeResult result = read("{\"data\":{\"" + event + "\":{\"tweet\":{\"id\":\"5\",\"author_id\":\"6\"},"
                    + "\"withheld_in_countries\":[\"DE\"],\"event_at\":\"2022-09-06T19:31:16.801Z\"}}}");
            assertThat(result.isSkip()).as(event).isTrue();
            assertThat(result.isDeletion()).as(event).isFalse();
            assertThat(result.reason()).startsWith("X compliance " + event + " of post 5: not applied");
        }
    }

    @Test
    void userEventsAreSkippedBecauseTombstonesHidePostsNotAuthors() {
        NormalizeResult result = read("{\"data\":{\"user_delete\":{\"user\":{\"id\":\"1234\"},"
                + "\"event_at\":\"2022-09-06T19:31:16.801Z\"}}}");
        assertThat(result.isSkip()).isTrue();
        assertThat(result.isDeletion()).isFalse();
        assertThat(result.reason()).isEqualTo("X compliance user_delete of user 1234: not applied"
                + " (tombstones hide single posts, not authors)");
    }

    @Test
    void anUnknownEventIsADeadLetterSoThatItIsSeen() {
        NormalizeResult result = read("{\"data\":{\"tweet_vanish\":{\"tweet\":{\"id\":\"5\"},\"event_at\":\"2022-09-06T19:31:16.801Z\"}}}");
        assertThat(result.isRejected()).isTrue();
        assertThat(result.reason()).isEqualTo("X compliance event 'tweet_vanish' is not one we know");
    }

    @Test
    void aStreamPostIsStillAPost() {
        NormalizeResult post = read("{\"data\":{\"id\":\"100\",\"text\":\"delete me\",\"created_at\":\"2025-10-01T08:00:00.000Z\"}}");
        assertThat(post.isPost()).as(post.toString()).isTrue();
        NormalizeResult broken = read("{\"data\":{\"delete\":\"not an object\"}}");
        assertThat(broken.isRejected()).as("one field that is no event object: an X v2 post without an id").isTrue();
    }
}
