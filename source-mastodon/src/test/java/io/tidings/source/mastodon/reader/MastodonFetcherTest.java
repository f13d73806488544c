package io.tidings.source.mastodon.reader;

import static io.tidings.source.mastodon.testing.FakeMastodon.delete;
import static io.tidings.source.mastodon.testing.FakeMastodon.edited;
import static io.tidings.source.mastodon.testing.FakeMastodon.event;
import static io.tidings.source.mastodon.testing.FakeMastodon.statusUpdate;
import static io.tidings.source.mastodon.testing.FakeMastodon.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.RawRecord;
import io.tidings.source.common.SecretToken;
import io.tidings.source.mastodon.testing.FakeMastodon;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix of the Mastodon source against {@link FakeMastodon}: what it emits from a live
 * stream, garbage frames, drops, stalls, closes, 429s with {@code X-RateLimit-Reset} on the handshake
 * and the timeline, 5xx, an exhausted rate limit, tokens, and the gap fill after each. Waits are the
 * recording clock's: nothing sleeps for real but the stall test.
 */
class MastodonFetcherTest {
    /** The id of the i-th test status: created i ms after the subscription started. */
    static String id(int i) {
        return FakeMastodon.idAt(FetcherHarness.START + 1_000 + i, 0);
    }

    static String status(int i) {
        return FakeMastodon.status(id(i), i % 2 == 0 ? "alice" : "bob@other.example", "Apache Flink post " + i, "flink");
    }

    private static String text(RawRecord r) {
        return new String(r.bytes, StandardCharsets.UTF_8);
    }

    private static List<String> ids(List<RawRecord> records) {
        List<String> ids = new ArrayList<>();
        for (RawRecord r : records) {
            ids.add(r.position.replaceAll("^(timeline )?status ", ""));
        }
        return ids;
    }

    private static List<String> idsOf(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(MastodonFetcherTest::id).toList();
    }

    private static void awaitTimelineRequests(FakeMastodon server, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.timelineRequests().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " timeline requests, got " + server.timelineRequests());
            }
            Thread.sleep(10);
        }
        Thread.sleep(50); // the empty page's answer is read
    }

    private static String isoAfterStart(long millis) {
        return Instant.ofEpochMilli(FetcherHarness.START + millis).toString();
    }

    @Test
    void emitsUpdatesEditsAndDeletesExactlyAsStreamedAndMovesThePositionOnlyWithNewStatuses() throws Exception {
        String s1 = status(1);
        String s2 = status(2);
        String edit1 = statusUpdate(edited(s1, "2025-11-24T16:05:00.000Z", "Apache Flink post 1, edited"));
        String del2 = delete(id(2));
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().send(update(s1)).sendInParts(update(s2), 5).send(edit1)
                    .send(event("notification", "{\"id\":\"1\",\"type\":\"mention\"}")).send(del2)
                    .send(update(s1)).send(edit1).send(del2) // repeated by the server: dropped
                    .thenHang();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(4);
                Thread.sleep(200); // the repeats have arrived, and must not come out
                List<RawRecord> records = h.records();
                assertThat(records).extracting(MastodonFetcherTest::text)
                        .containsExactly(update(s1), update(s2), edit1, del2);
                assertThat(records).extracting(r -> r.position).containsExactly("status " + id(1), "status " + id(2),
                        "edit of status " + id(1) + " at 2025-11-24T16:05:00.000Z", "delete of status " + id(2));
                assertThat(records).extracting(r -> r.source).containsOnly("mastodon:" + server.authority());
                assertThat(records).extracting(r -> List.of(r.matchedRules)).containsOnly(List.of("#flink"));
                assertThat(records).extracting(r -> r.receivedAt).containsOnly(FetcherHarness.START);
                assertThat(h.elements()).extracting(MastodonFetchedElement::newStatusId)
                        .containsExactly(id(1), id(2), null, null);
                assertThat(h.fetcher.lastStatusId()).isEqualTo(id(2));
                assertThat(h.metrics.received.get()).isEqualTo(8);
                assertThat(h.metrics.emitted.get()).isEqualTo(4);
                assertThat(h.metrics.duplicates.get()).isEqualTo(3);
                assertThat(h.metrics.ignored.get()).isEqualTo(1);
                assertThat(h.metrics.errors.get()).isZero();
                assertThat(h.metrics.lagMs(FetcherHarness.START + 1_002 + 250)).isEqualTo(250);
                assertThat(h.clock.sleeps()).isEmpty();
            }
            assertThat(server.streamingRequests()).containsExactly("GET /api/v1/streaming?stream=hashtag&tag=flink HTTP/1.1");
            assertThat(server.timelineRequests()).as("a fresh subscription has no gap to fill").isEmpty();
        }
    }

    @Test
    void garbageFramesAreEmittedAsReceivedForTheDeadLettersAndTheStreamGoesOn() throws Exception {
        List<String> garbage = List.of(
                "this is not JSON",
                "[1,2,3]",
                "{\"stream\":[\"hashtag\",\"flink\"],\"payload\":\"{}\"}",
                event("update", "{\"id\":\"110000000000000001\",\"content\":"),
                event("update", "{\"content\":\"<p>no id</p>\",\"account\":{}}"),
                event("status.update", "[]"),
                event("delete", "not-an-id"));
        try (FakeMastodon server = new FakeMastodon()) {
            FakeMastodon.Script script = server.nextConnection();
            garbage.forEach(script::send);
            script.sendBinary(new byte[] {1, 2, 3}).send(update(status(1))).thenHang();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(garbage.size() + 1);
                List<String> expected = new ArrayList<>(garbage);
                expected.add(update(status(1)));
                assertThat(h.records()).extracting(MastodonFetcherTest::text).containsExactlyElementsOf(expected);
                assertThat(h.records().subList(0, garbage.size())).extracting(r -> r.position)
                        .containsExactly("connection 1 message 1", "connection 1 message 2", "connection 1 message 3",
                                "connection 1 message 4", "connection 1 message 5", "connection 1 message 6",
                                "connection 1 message 7");
                assertThat(h.elements()).extracting(MastodonFetchedElement::newStatusId).filteredOn(id -> id != null)
                        .containsExactly(id(1));
                assertThat(h.metrics.errors.get()).as("7 garbage messages and a binary one").isEqualTo(8);
                assertThat(h.clock.sleeps()).as("garbage does not end the connection").isEmpty();
            }
        }
    }

    @Test
    void aDropIsFilledFromTheTimelinePageByPageWithoutLossOrDuplicates() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            FakeMastodon.Script first = server.nextConnection();
            for (int i = 1; i <= 3; i++) {
                first.post(status(i));
            }
            first.thenDrop();
            // posted while the source was away: two full pages and a bit
            for (int i = 4; i <= 90; i++) {
                server.publishQuietly(status(i));
            }
            // the new connection streams the newest of them again before the gap fill reaches it, then a new one
            server.nextConnection().send(update(status(90))).post(status(91)).thenLive();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(91);
                awaitTimelineRequests(server, 4); // the gap is filled: what comes now comes live
                server.publish(status(92));
                h.awaitRecords(92);
                Thread.sleep(100);
                assertThat(ids(h.records())).containsExactlyElementsOf(idsOf(1, 92));
                // The drop may cut the third status short (the JDK client then drops what it had not
                // handed over yet): gap fill goes on from the last status that came out, either way.
                List<RawRecord> records = h.records();
                int streamed = 0;
                while (!records.get(streamed).position.startsWith("timeline")) {
                    streamed++;
                }
                assertThat(streamed).isBetween(2, 3);
                assertThat(h.metrics.gapFilled.get()).as("up to 91: the new connection's status 91 was on the timeline"
                        + " before the gap fill reached it").isEqualTo(91 - streamed);
                assertThat(h.metrics.duplicates.get()).as("90 and 91, streamed and filled").isEqualTo(2);
                assertThat(h.metrics.reconnects.get()).isEqualTo(1);
                assertThat(h.clock.sleeps()).containsExactly(1_000L);
                String from = id(streamed);
                String pageTwo = id(streamed + 40);
                String pageThree = id(streamed + 80);
                assertThat(server.timelineRequests()).containsExactly(
                        "GET /api/v1/timelines/tag/flink?limit=40&min_id=" + from + " HTTP/1.1",
                        "GET /api/v1/timelines/tag/flink?limit=40&min_id=" + pageTwo + " HTTP/1.1",
                        "GET /api/v1/timelines/tag/flink?limit=40&min_id=" + pageThree + " HTTP/1.1",
                        "GET /api/v1/timelines/tag/flink?limit=40&min_id=" + id(91) + " HTTP/1.1");
            }
        }
    }

    @Test
    void aDropBeforeTheFirstStatusFillsFromWhenTheSubscriptionStartedAndNotBefore() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(FakeMastodon.status(FakeMastodon.idAt(FetcherHarness.START - 60_000, 0), "old",
                    "posted before the job started", "flink"));
            server.nextConnection().thenDrop();
            server.publishQuietly(status(1), status(2));
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(2);
                Thread.sleep(100);
                assertThat(ids(h.records())).containsExactly(id(1), id(2));
            }
            assertThat(server.timelineRequests().get(0))
                    .contains("min_id=" + FakeMastodon.idAt(FetcherHarness.START, 0) + " ");
        }
    }

    @Test
    void aRestoredFetcherFillsTheGapAfterItsCheckpointedStatusBeforeGoingLive() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            for (int i = 1; i <= 12; i++) {
                server.publishQuietly(status(i));
            }
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(5), b -> b.pageLimit(3))) {
                h.start().awaitRecords(7);
                awaitTimelineRequests(server, 4);
                server.publish(status(13));
                h.awaitRecords(8);
                assertThat(ids(h.records())).containsExactlyElementsOf(idsOf(6, 13));
                assertThat(h.metrics.reconnects.get()).isZero();
            }
            assertThat(server.timelineRequests()).hasSize(4).first().asString()
                    .isEqualTo("GET /api/v1/timelines/tag/flink?limit=3&min_id=" + id(5) + " HTTP/1.1");
        }
    }

    @Test
    void aStallWithUnansweredPingsReconnectsAndFillsTheGap() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().ignorePings().post(status(1)).thenHang();
            server.publishQuietly(status(2));
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b.stallTimeout(Duration.ofMillis(600)))) {
                h.start().awaitRecords(2);
                assertThat(ids(h.records())).containsExactly(id(1), id(2));
                assertThat(h.metrics.errors.get()).isEqualTo(1);
                assertThat(h.clock.sleeps()).containsExactly(1_000L);
            }
        }
    }

    @Test
    void aQuietStreamThatAnswersPingsIsNotAStall() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().pause(1_500).post(status(1)).thenHang();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b.stallTimeout(Duration.ofMillis(600)))) {
                h.start().awaitRecords(1);
                assertThat(h.metrics.reconnects.get()).isZero();
                assertThat(h.clock.sleeps()).isEmpty();
            }
        }
    }

    @Test
    void aCloseByTheServerReconnectsWithTheBackoffAndFillsTheGap() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().post(status(1)).thenClose(1001, "going away");
            server.publishQuietly(status(2));
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(2);
                assertThat(ids(h.records())).containsExactly(id(1), id(2));
                assertThat(h.metrics.errors.get()).as("a close is not an error").isZero();
                assertThat(h.clock.sleeps()).containsExactly(1_000L);
            }
        }
    }

    @Test
    void a429OnTheHandshakeWaitsUntilTheRateLimitResets() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().refuse(429, "X-RateLimit-Limit: 300", "X-RateLimit-Remaining: 0",
                    "X-RateLimit-Reset: " + isoAfterStart(120_000));
            server.publishQuietly(status(1));
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0), b -> b)) {
                List<String> gauges = waitGauges(h);
                h.start().awaitRecords(1);
                assertThat(h.clock.sleeps()).containsExactly(120_000L);
                assertThat(h.metrics.rateLimited.get()).isEqualTo(1);
                assertThat(gauges).as("while waiting: a rate limit's wait, not a reconnect back-off")
                        .containsExactly("backoff 120000, rate-limited until " + (FetcherHarness.START + 120_000) + " by 429");
                assertThat(h.metrics.rateLimitedUntilMs.get()).as("the wait is over").isZero();
            }
        }
    }

    @Test
    void a429DuringGapFillWaitsUntilTheResetAndGoesOnWhereItStopped() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            for (int i = 1; i <= 6; i++) {
                server.publishQuietly(status(i));
            }
            server.nextTimelineAnswer(200, firstPage(1, 3), "X-RateLimit-Remaining: 5");
            server.nextTimelineAnswer(429, "{\"error\":\"Too many requests\"}",
                    "X-RateLimit-Remaining: 0", "X-RateLimit-Reset: " + isoAfterStart(90_000));
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0), b -> b.pageLimit(3))) {
                h.start().awaitRecords(6);
                Thread.sleep(100);
                assertThat(ids(h.records())).containsExactlyElementsOf(idsOf(1, 6));
                assertThat(h.clock.sleeps()).containsExactly(90_000L);
                assertThat(h.metrics.rateLimited.get()).isEqualTo(1);
            }
            List<String> timeline = server.timelineRequests();
            assertThat(timeline.get(2)).as("after the wait, on from the last status emitted").contains("min_id=" + id(3) + " ");
        }
    }

    /** What the wait gauges say at each wait of the harness's clock. */
    private static List<String> waitGauges(FetcherHarness h) {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        h.clock.duringEachSleep(() -> seen.add("backoff " + h.metrics.currentBackoffMs.get()
                + (h.metrics.rateLimitedUntilMs.get() == 0 ? "" : ", rate-limited until "
                        + h.metrics.rateLimitedUntilMs.get() + " by " + h.metrics.rateLimitHttpStatus.get())));
        return seen;
    }

    /** Statuses {@code from..to} as a timeline page lists them: newest first. */
    private static String firstPage(int from, int to) {
        List<String> page = new ArrayList<>();
        for (int i = to; i >= from; i--) {
            page.add(status(i));
        }
        return "[" + String.join(",", page) + "]";
    }

    @Test
    void aTimelineEntryWithoutAStatusIdIsEmittedForTheDeadLettersAndTheOthersInOrder() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(1), status(2), status(3));
            String noId = "{\"content\":\"<p>no id</p>\",\"account\":{\"acct\":\"x\"}}";
            server.nextTimelineAnswer(200, "[" + status(2) + "," + noId + "," + status(1) + "]");
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0), b -> b)) {
                h.start().awaitRecords(4);
                List<RawRecord> records = h.records();
                assertThat(records).extracting(r -> r.position).containsExactly("timeline entry without a status id",
                        "timeline status " + id(1), "timeline status " + id(2), "timeline status " + id(3));
                assertThat(text(records.get(0))).isEqualTo(noId);
                assertThat(h.metrics.errors.get()).isEqualTo(1);
                assertThat(h.fetcher.lastStatusId()).isEqualTo(id(3));
            }
        }
    }

    @Test
    void anExhaustedRateLimitIsWaitedForBetweenPages() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            for (int i = 1; i <= 4; i++) {
                server.publishQuietly(status(i));
            }
            server.nextTimelineAnswer(200, firstPage(1, 2), "X-RateLimit-Remaining: 0",
                    "X-RateLimit-Reset: " + isoAfterStart(30_000));
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0), b -> b.pageLimit(2))) {
                List<String> gauges = waitGauges(h);
                h.start().awaitRecords(4);
                assertThat(ids(h.records())).containsExactlyElementsOf(idsOf(1, 4));
                assertThat(h.clock.sleeps()).containsExactly(30_000L);
                assertThat(gauges).as("no back-off: the connection is kept; no 429: the headers said so")
                        .containsExactly("backoff 0, rate-limited until " + (FetcherHarness.START + 30_000) + " by 0");
                assertThat(h.metrics.reconnects.get()).as("waiting is not failing").isZero();
            }
        }
    }

    @Test
    void serverErrorsAndGarbageFromTheTimelineBackOffExponentiallyAndRetry() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(1), status(2));
            server.nextConnection().refuse(503);
            server.nextTimelineAnswer(500, "<html>Internal Server Error</html>");
            server.nextTimelineAnswer(200, "<html>maintenance</html>");
            server.nextTimelineAnswer(502, "");
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0), b -> b)) {
                List<String> gauges = waitGauges(h);
                h.start().awaitRecords(2);
                assertThat(ids(h.records())).containsExactly(id(1), id(2));
                assertThat(h.clock.sleeps()).containsExactly(1_000L, 2_000L, 4_000L, 8_000L);
                assertThat(gauges).as("failures are back-offs, not rate limits").containsExactly("backoff 1000",
                        "backoff 2000", "backoff 4000", "backoff 8000");
                assertThat(h.metrics.errors.get()).isEqualTo(4);
                assertThat(h.metrics.reconnects.get()).isEqualTo(4);
            }
        }
    }

    @Test
    void theAccessTokenGoesInTheAuthorizationHeaderOfEveryRequest() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.requireToken("s3cret-token");
            server.publishQuietly(status(1));
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0),
                    b -> b.accessToken(SecretToken.of("s3cret-token")))) {
                h.start().awaitRecords(1);
                assertThat(h.fetcher.failure()).isNull();
            }
            assertThat(server.requests()).allMatch(r -> !r.contains("s3cret"), "the token is never in a URL");
        }
    }

    @Test
    void aServerThatWantsATokenFailsTheSourceAtOnceSayingWhatToDo() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.requireToken("s3cret-token");
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                Throwable failure = h.start().awaitFailure();
                assertThat(failure).isInstanceOf(MastodonSourceException.class)
                        .hasMessageContaining("HTTP 401").hasMessageContaining("--mastodon-token");
                assertThat(h.clock.sleeps()).as("no retry can fix it").isEmpty();
            }
            try (FetcherHarness h = FetcherHarness.after(server.uri(), id(0),
                    b -> b.accessToken(SecretToken.of("tok-XYZZY-123")))) {
                Throwable failure = h.start().awaitFailure();
                assertThat(failure).hasMessageContaining("does not take the access token given in code")
                        .hasMessageNotContaining("XYZZY");
            }
        }
    }

    // ------------------------------------------------------------------ recheck of what was emitted lately

    /** The statuses 1..n as a checkpoint holds them: emitted unedited, in order. */
    private static java.util.Map<String, String> emittedUnedited(int... is) {
        java.util.Map<String, String> recent = new java.util.LinkedHashMap<>();
        for (int i : is) {
            recent.put(id(i), "");
        }
        return recent;
    }

    private static String tombstone(int i) {
        return "{\"stream\":[\"hashtag\",\"flink\"],\"event\":\"delete\",\"payload\":\"" + id(i) + "\"}";
    }

    @Test
    void aRestoreRechecksTheStatusesEmittedBeforeItsCheckpointAndEmitsWhatWasDeletedOrEditedMeanwhile() throws Exception {
        String edited3 = edited(status(3), "2025-11-24T16:06:00.000Z", "Apache Flink post 3, edited after the checkpoint");
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(1), status(2), status(3), status(4), status(5));
            // After the checkpoint (position 4, statuses 1-4 emitted), the stream said: 2 deleted, 3 edited.
            // Those events were lost with the job; the server now shows the result.
            server.deleteQuietly(id(2)).editQuietly(edited3);
            try (FetcherHarness h = FetcherHarness.restored(server.uri(), id(4), emittedUnedited(1, 2, 3, 4), b -> b)) {
                h.start().awaitRecords(3);
                Thread.sleep(200);
                List<RawRecord> records = h.records();
                assertThat(records).extracting(r -> r.position).containsExactly("timeline status " + id(5),
                        "recheck: status " + id(3) + " edited at 2025-11-24T16:06:00.000Z",
                        "recheck: status " + id(2) + " gone");
                assertThat(text(records.get(2))).as("a delete event as the stream sends it").isEqualTo(tombstone(2));
                com.fasterxml.jackson.databind.JsonNode edit = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(records.get(1).bytes);
                assertThat(edit.path("event").asText()).isEqualTo("status.update");
                assertThat(edit.path("stream").toString()).isEqualTo("[\"hashtag\",\"flink\"]");
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(edit.path("payload").asText()))
                        .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(edited3));
                assertThat(h.elements().subList(1, 3)).extracting(MastodonFetchedElement::newStatusId)
                        .as("neither moves the position").containsOnlyNulls();
                assertThat(h.elements().get(2).deleted()).isTrue();
                assertThat(h.elements().get(1).editedAt()).isEqualTo("2025-11-24T16:06:00.000Z");
                assertThat(h.metrics.rechecked.get()).isEqualTo(4);
                assertThat(h.metrics.recheckChanges.get()).isEqualTo(2);
                assertThat(h.clock.sleeps()).isEmpty();
            }
            assertThat(server.lookupRequests()).as("one request, newest first").containsExactly(
                    "GET /api/v1/statuses?id%5B%5D=" + id(4) + "&id%5B%5D=" + id(3) + "&id%5B%5D=" + id(2)
                            + "&id%5B%5D=" + id(1) + " HTTP/1.1");
        }
    }

    @Test
    void aServerWithoutTheBatchLookupIsAskedOneStatusARequest() throws Exception {
        try (FakeMastodon server = new FakeMastodon().withoutBatchLookup()) {
            server.publishQuietly(status(1), status(2), status(3));
            server.deleteQuietly(id(1));
            try (FetcherHarness h = FetcherHarness.restored(server.uri(), id(3), emittedUnedited(1, 2, 3), b -> b)) {
                h.start().awaitRecords(1);
                Thread.sleep(200);
                assertThat(h.records()).extracting(r -> r.position).containsExactly("recheck: status " + id(1) + " gone");
                assertThat(text(h.records().get(0))).isEqualTo(tombstone(1));
            }
            assertThat(server.lookupRequests()).containsExactly(
                    "GET /api/v1/statuses?id%5B%5D=" + id(3) + "&id%5B%5D=" + id(2) + "&id%5B%5D=" + id(1) + " HTTP/1.1",
                    "GET /api/v1/statuses/" + id(3) + " HTTP/1.1", "GET /api/v1/statuses/" + id(2) + " HTTP/1.1",
                    "GET /api/v1/statuses/" + id(1) + " HTTP/1.1");
        }
    }

    @Test
    void aServerThatStopsAnsweringTheBatchLookupIsAskedOneStatusARequestFromThenOn() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().post(status(1)).post(status(2)).pause(1_000).thenDrop();
            server.nextConnection().pause(1_500).thenDrop();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(2);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (server.lookupRequests().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(server.lookupRequests()).as("the first recheck, by the batch form").hasSize(1);
                // The server (or a proxy in front of it) no longer has the batch form; a status goes.
                server.withoutBatchLookup();
                server.deleteQuietly(id(1));
                h.awaitRecords(3);
                assertThat(h.records().get(2).position).isEqualTo("recheck: status " + id(1) + " gone");
            }
            assertThat(server.lookupRequests()).contains("GET /api/v1/statuses/" + id(1) + " HTTP/1.1");
        }
    }

    @Test
    void aDisconnectRechecksWhatWasEmittedBeforeItSoADeletionDuringTheGapIsNotLost() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().post(status(1)).post(status(2)).pause(1_000).thenDrop();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(2);
                // Deleted just before the drop: its delete event goes out while the source is away.
                server.deleteQuietly(id(1));
                h.awaitRecords(3);
                assertThat(h.records()).extracting(r -> r.position).containsExactly("status " + id(1), "status " + id(2),
                        "recheck: status " + id(1) + " gone");
                server.deleteStatus(id(2)); // live again: the stream's own delete, once
                h.awaitRecords(4);
                Thread.sleep(200);
                assertThat(h.records()).hasSize(4).last().extracting(r -> r.position).isEqualTo("delete of status " + id(2));
            }
        }
    }

    @Test
    void aFailedRecheckIsRetriedAfterTheBackOffAndA429WaitsForItsResetWithNothingLost() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(1), status(2));
            server.deleteQuietly(id(2));
            server.nextLookupAnswer(500, "<html>Internal Server Error</html>");
            server.nextLookupAnswer(429, "{\"error\":\"Too many requests\"}", "X-RateLimit-Remaining: 0",
                    "X-RateLimit-Reset: " + isoAfterStart(200_000));
            try (FetcherHarness h = FetcherHarness.restored(server.uri(), id(2), emittedUnedited(1, 2), b -> b)) {
                List<String> gauges = waitGauges(h);
                h.start().awaitRecords(1);
                Thread.sleep(200);
                assertThat(h.records()).extracting(r -> r.position).containsExactly("recheck: status " + id(2) + " gone");
                assertThat(h.clock.sleeps()).containsExactly(1_000L, 199_000L);
                assertThat(gauges).containsExactly("backoff 1000",
                        "backoff 199000, rate-limited until " + (FetcherHarness.START + 200_000) + " by 429");
                assertThat(h.metrics.reconnects.get()).isEqualTo(2);
            }
            assertThat(server.lookupRequests()).hasSize(3);
        }
    }

    @Test
    void aRecheckThatKeepsFailingIsGivenUpSoTheStreamIsReadAgain() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(1));
            server.deleteQuietly(id(1));
            for (int i = 0; i < MastodonFetcher.MAX_RECHECK_FAILURES; i++) {
                server.nextLookupAnswer(502, "");
            }
            try (FetcherHarness h = FetcherHarness.restored(server.uri(), id(1), emittedUnedited(1), b -> b)) {
                h.start();
                long deadline = System.currentTimeMillis() + 10_000;
                while (server.lookupRequests().size() < MastodonFetcher.MAX_RECHECK_FAILURES
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                awaitLiveConnection(server);
                Thread.sleep(100); // the third answer is read, the recheck given up
                server.publish(status(2));
                h.awaitRecords(1);
                Thread.sleep(200);
                assertThat(h.records()).extracting(r -> r.position).as("from the stream, no tombstone")
                        .containsExactly("status " + id(2));
                assertThat(h.clock.sleeps()).as("two retries, then the stream").containsExactly(1_000L, 2_000L);
            }
            assertThat(server.lookupRequests()).hasSize(MastodonFetcher.MAX_RECHECK_FAILURES);
        }
    }

    @Test
    void anAnswerThatListsNoneOfManyStatusesIsNotBelieved() throws Exception {
        try (FakeMastodon server = new FakeMastodon()) {
            for (int i = 1; i <= 6; i++) {
                server.publishQuietly(status(i));
            }
            for (int i = 0; i < MastodonFetcher.MAX_RECHECK_FAILURES; i++) {
                server.nextLookupAnswer(200, "[]");
            }
            try (FetcherHarness h = FetcherHarness.restored(server.uri(), id(6), emittedUnedited(1, 2, 3, 4, 5, 6), b -> b)) {
                h.start();
                awaitLiveConnection(server);
                Thread.sleep(200);
                assertThat(h.records()).as("no tombstone for six live statuses").isEmpty();
            }
        }
    }

    private static void awaitLiveConnection(FakeMastodon server) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.liveConnections() == 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no live connection; requests " + server.requests());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aTextFrameThatIsNotUtf8IsEmittedAsItCameThenTheConnectionFailsWith1007AndTheGapFillBringsTheStatus() throws Exception {
        String update2 = update(status(2));
        byte[] bad = update2.getBytes(StandardCharsets.UTF_8);
        int at = update2.indexOf("post 2"); // ASCII before it
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(status(2)); // on the timeline, as the server has it
            server.nextConnection().post(status(1)).sendRaw(bad).post(status(3)).thenHang();
            try (FetcherHarness h = FetcherHarness.fresh(server.uri(), b -> b)) {
                h.start().awaitRecords(4);
                Thread.sleep(200);
                List<RawRecord> records = h.records();
                assertThat(records).extracting(r -> r.position).containsExactly("status " + id(1), "connection 1 message 2",
                        "timeline status " + id(2), "timeline status " + id(3));
                assertThat(records.get(1).bytes).as("the frame's exact bytes, for the dead letters").isEqualTo(bad);
                assertThat(h.elements().get(1).newStatusId()).as("the position stays: gap fill from status 1").isNull();
                assertThat(h.metrics.errors.get()).as("the message, and the connection it failed").isEqualTo(2);
                assertThat(h.clock.sleeps()).containsExactly(1_000L);
            }
            assertThat(server.closeCodes()).as("RFC 6455: invalid UTF-8 fails the connection with 1007").containsExactly(1007);
            assertThat(server.timelineRequests().get(0)).contains("min_id=" + id(1) + " ");
        }
    }
}
