package io.tidings.source.x.reader;

import static io.tidings.source.x.testing.FakeXServer.tweet;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tidings.records.RawRecord;
import io.tidings.source.x.testing.FakeXServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XStreamFetcherTest {
    private FakeXServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeXServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String text(RawRecord r) {
        return new String(r.bytes, StandardCharsets.UTF_8);
    }

    @Test
    void emitsExactlyTheServedPostsInOrderAcrossChunksAndKeepAlives() throws Exception {
        String t1 = tweet("1861234567890", "hello", "cats");
        String t2 = tweet("1861234567891", "split across three chunks ✓", "cats", "dogs");
        String t3 = tweet("1861234567892", "third", "cats");
        int cut1 = 10;
        int cut2 = t2.length() - 5;
        server.nextStream().keepAlive().line(t1).keepAlive()
                .send(t2.substring(0, cut1)).send(t2.substring(cut1, cut2)).send(t2.substring(cut2) + "\r\n")
                .keepAlive().keepAlive().line(t3).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b).start()) {
            h.awaitRecords(3);
            List<RawRecord> records = h.records();
            assertThat(records).extracting(FakeXServerText::of).containsExactly(t1, t2, t3);
            assertThat(records).extracting(r -> r.source).containsOnly("x-stream");
            assertThat(records).extracting(r -> r.position)
                    .containsExactly("tweet 1861234567890", "tweet 1861234567891", "tweet 1861234567892");
            assertThat(records.get(1).matchedRules).containsExactly("cats", "dogs");
            assertThat(h.elements()).allMatch(XFetchedElement::advancesPosition);
            assertThat(h.fetcher.newestId()).isEqualTo("1861234567892");
            assertThat(h.metrics.received.get()).isEqualTo(3);
            assertThat(h.metrics.lagMs(FetcherHarness.START)).isGreaterThanOrEqualTo(0);
            assertThat(h.clock.sleeps()).isEmpty();
        }
        String streamRequest = server.requests().stream().filter(r -> r.startsWith("GET /2/tweets/search/stream?"))
                .findFirst().orElseThrow();
        assertThat(streamRequest).contains(
                "tweet.fields=created_at,author_id,lang,public_metrics,entities,referenced_tweets,geo,note_tweet,conversation_id",
                "expansions=author_id,geo.place_id,referenced_tweets.id",
                "user.fields=username,name,location,public_metrics",
                "place.fields=full_name,geo,country_code");
        assertThat(server.rulesByValue()).containsExactly(Map.entry("cats has:images", "cats"));
    }

    @Test
    void discardsAPartialLineWhenTheConnectionDropsMidJsonAndReconnectsAtOnce() throws Exception {
        String t1 = tweet("101", "one", "cats");
        String t2 = tweet("102", "two", "cats");
        String t3 = tweet("103", "three", "cats");
        server.nextStream().line(t1).send(t2.substring(0, t2.length() / 2)); // then the server closes
        server.nextStream().line(t2).line(t3).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b.gapFill(false)).start()) {
            h.awaitRecords(3);
            assertThat(h.records()).extracting(FakeXServerText::of).containsExactly(t1, t2, t3);
            assertThat(h.clock.sleeps()).as("an established connection that dropped reconnects at once").isEmpty();
            assertThat(h.metrics.reconnects.get()).isEqualTo(1);
            assertThat(h.metrics.invalidLines.get()).isZero();
        }
    }

    @Test
    void reconnectsAfterAStall() throws Exception {
        String t1 = tweet("201", "before the stall", "cats");
        String t2 = tweet("202", "after", "cats");
        server.nextStream().keepAlive().line(t1).thenHang();
        server.nextStream().line(t2).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, null,
                b -> b.gapFill(false).stallTimeout(Duration.ofMillis(300))).start()) {
            h.awaitRecords(2);
            assertThat(h.positions()).containsExactly("tweet 201", "tweet 202");
            assertThat(server.streamConnections()).isEqualTo(2);
            assertThat(h.clock.sleeps()).isEmpty();
        }
    }

    @Test
    void operationalDisconnectInTheStreamEndsTheConnection() throws Exception {
        server.nextStream().line(tweet("301", "a", "cats"))
                .line("{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":\"UpstreamOperationalDisconnect\","
                        + "\"detail\":\"This stream has been disconnected upstream for operational reasons.\","
                        + "\"type\":\"https://api.x.com/2/problems/operational-disconnect\"}]}")
                .thenHang();
        server.nextStream().line(tweet("302", "b", "cats")).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b.gapFill(false)).start()) {
            h.awaitRecords(2);
            assertThat(h.positions()).containsExactly("tweet 301", "tweet 302");
            assertThat(h.metrics.errors.get()).isEqualTo(1);
            assertThat(h.metrics.reconnects.get()).isEqualTo(1);
        }
    }

    @Test
    void invalidJsonLinesAreEmittedForTheDeadLettersAndCounted() throws Exception {
        server.nextStream().line("{\"data\":{\"id\":\"401\",\"text\":oops}").line(tweet("402", "fine", "cats")).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b.gapFill(false)).start()) {
            h.awaitRecords(2);
            List<RawRecord> records = h.records();
            assertThat(text(records.get(0))).isEqualTo("{\"data\":{\"id\":\"401\",\"text\":oops}");
            assertThat(records.get(0).position).isEqualTo("connection 1 line 1 (not JSON)");
            assertThat(records.get(0).source).isEqualTo("x-stream");
            assertThat(h.elements().get(0).advancesPosition()).isFalse();
            assertThat(records.get(1).position).isEqualTo("tweet 402");
            assertThat(h.metrics.invalidLines.get()).isEqualTo(1);
        }
    }

    @Test
    void backsOffAsXDocumentsFor429And5xxAndResetsAfterData() throws Exception {
        long start = FetcherHarness.START;
        server.nextStream().status(429, "{\"title\":\"Too Many Requests\"}")
                .header("x-rate-limit-reset", String.valueOf(start / 1000 + 10)); // earlier than 60 s: 60 s
        server.nextStream().status(429, "{\"title\":\"Too Many Requests\"}"); // 120 s
        server.nextStream().status(429, "{\"title\":\"ConnectionException\",\"connection_issue\":\"TooManyConnections\"}")
                .header("x-rate-limit-reset", String.valueOf(start / 1000 + 180 + 500)); // reset later than 240 s: 500 s
        server.nextStream().status(503, "{\"title\":\"Service Unavailable\"}"); // 5 s
        server.nextStream().status(503, "{\"title\":\"Service Unavailable\"}"); // 10 s
        server.nextStream().status(500, "{\"title\":\"Internal Error\"}"); // 20 s
        server.nextStream().line(tweet("501", "data resets the back-off", "cats")); // then closes: at once
        server.nextStream().status(503, "{\"title\":\"Service Unavailable\"}"); // 5 s again
        // then a connection that sends nothing: a stall with no data is a network error, 250 ms (8th wait ends the loop)
        try (FetcherHarness h = new FetcherHarness(server, 8, null,
                b -> b.syncRules(false).gapFill(false).stallTimeout(Duration.ofMillis(200)))) {
            List<String> gauges = new ArrayList<>();
            h.clock.duringEachSleep(() -> gauges.add(h.metrics.currentBackoffMs.get() + " ms"
                    + (h.metrics.rateLimitedUntilMs.get() == 0 ? "" : ", rate-limited " + (h.metrics.rateLimitedUntilMs.get()
                            - h.clock.nowMillis()) + " ms by " + h.metrics.rateLimitHttpStatus.get())));
            h.runToEnd();
            assertThat(h.fetcher.failure()).isNull();
            assertThat(h.clock.sleeps()).containsExactly(60_000L, 120_000L, 500_000L, 5_000L, 10_000L, 20_000L, 5_000L, 250L);
            assertThat(gauges).as("the 429 waits say so; the others are reconnect back-offs").containsExactly(
                    "60000 ms, rate-limited 60000 ms by 429", "120000 ms, rate-limited 120000 ms by 429",
                    "500000 ms, rate-limited 500000 ms by 429", "5000 ms", "10000 ms", "20000 ms", "5000 ms", "250 ms");
            assertThat(h.metrics.rateLimitedUntilMs.get()).isZero();
            assertThat(h.positions()).containsExactly("tweet 501");
            assertThat(h.metrics.errors.get()).isEqualTo(8);
        }
    }

    @Test
    void networkErrorsBackOffLinearlyUpTo16Seconds() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (FetcherHarness h = new FetcherHarness(server, 70, null, b -> b.syncRules(false).apiBase(nowhere))) {
            h.runToEnd();
            List<Long> sleeps = h.clock.sleeps();
            assertThat(sleeps).hasSize(70);
            assertThat(sleeps.subList(0, 4)).containsExactly(250L, 500L, 750L, 1_000L);
            assertThat(sleeps.get(63)).isEqualTo(16_000L);
            assertThat(sleeps).allMatch(ms -> ms <= 16_000L);
            assertThat(sleeps.subList(64, 70)).containsOnly(16_000L);
        }
    }

    @Test
    void gapFillPagesThroughRecentSearchSinceTheNewestIdBeforeReadingTheStream() throws Exception {
        server.searchReply(200, FakeXServer.searchPage("t2", "204", "203"),
                Map.of("x-rate-limit-limit", "450", "x-rate-limit-remaining", "10", "x-rate-limit-reset", "1800000900"));
        server.searchReply(200, FakeXServer.searchPage(null, "202", "201"),
                Map.of("x-rate-limit-limit", "450", "x-rate-limit-remaining", "9", "x-rate-limit-reset", "1800000900"));
        server.nextStream().line(tweet("205", "live", "cats")).thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, "100", b -> b.syncRules(false)).start()) {
            h.awaitRecords(5);
            List<XFetchedElement> els = h.elements();
            assertThat(els).extracting(e -> e.record() == null ? "advance " + e.postId()
                    : e.record().source + " " + e.record().position)
                    .containsExactly("x-search tweet 204", "x-search tweet 203", "x-search tweet 202",
                            "x-search tweet 201", "advance 204", "x-stream tweet 205");
            assertThat(els.subList(0, 4)).noneMatch(XFetchedElement::advancesPosition);
            assertThat(text(els.get(0).record())).isEqualTo(
                    "{\"data\":{\"id\":\"204\",\"text\":\"found 204\",\"author_id\":\"u204\",\"created_at\":\"2026-11-20T09:59:00.000Z\"},"
                            + "\"includes\":{\"users\":[{\"id\":\"u204\",\"username\":\"user204\"}]},"
                            + "\"matching_rules\":[{\"tag\":\"cats\"}]}");
            assertThat(els.get(0).record().matchedRules).containsExactly("cats");
        }
        List<String> searches = server.requests().stream().filter(r -> r.startsWith("GET /2/tweets/search/recent")).toList();
        assertThat(searches).hasSize(2);
        assertThat(searches.get(0)).contains("query=cats%20has%3Aimages", "since_id=100", "max_results=100",
                "expansions=author_id,geo.place_id,referenced_tweets.id").doesNotContain("next_token");
        assertThat(searches.get(1)).contains("since_id=100", "next_token=t2");
        // the stream connection was opened before the search, so nothing falls between them
        int streamAt = server.requests().indexOf(server.requests().stream()
                .filter(r -> r.startsWith("GET /2/tweets/search/stream?")).findFirst().orElseThrow());
        assertThat(streamAt).isLessThan(server.requests().indexOf(searches.get(0)));
    }

    @Test
    void pollingModeSearchesEveryIntervalSinceTheNewestId() throws Exception {
        server.searchReply(200, FakeXServer.searchPage("more", "50", "49"), Map.of());
        server.searchReply(200, FakeXServer.searchPage(null, "51"), Map.of());
        try (FetcherHarness h = new FetcherHarness(server, 2, null,
                b -> b.mode(io.tidings.source.x.source.XSourceMode.POLL_RECENT_SEARCH).pollInterval(Duration.ofSeconds(30)))) {
            h.runToEnd();
            assertThat(h.clock.sleeps()).containsExactly(30_000L, 30_000L);
            assertThat(h.positions()).containsExactly("tweet 50", "tweet 49", "tweet 51");
            assertThat(h.fetcher.newestId()).isEqualTo("51");
        }
        List<String> requests = server.requests();
        assertThat(requests).noneMatch(r -> r.contains("/stream"));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).doesNotContain("since_id").doesNotContain("next_token");
        assertThat(requests.get(1)).contains("since_id=50");
    }

    @Test
    void anInvalidRuleFailsTheSourceNamingTheRuleAndXsReason() throws Exception {
        try (FetcherHarness h = new FetcherHarness(server, 10, null,
                b -> b.rules(List.of(io.tidings.source.x.source.XRule.of("cats", "cats"),
                        io.tidings.source.x.source.XRule.of("bad ((rule", "bad"))))) {
            h.runToEnd();
            assertThat(h.fetcher.failure()).isInstanceOf(XSourceException.class)
                    .hasMessageContaining("rule 'bad ((rule' (tag bad)")
                    .hasMessageContaining("Unmatched parenthesis");
        }
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1)).startsWith("POST /2/tweets/search/stream/rules?dry_run=true");
        assertThat(server.rulesByValue()).isEmpty();
    }

    @Test
    void aRejectedTokenFailsTheSourceWithoutShowingTheToken() throws Exception {
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b.bearerToken("wrong-secret-token"))) {
            h.runToEnd();
            assertThat(h.fetcher.failure()).isInstanceOf(XSourceException.class)
                    .hasMessageStartingWith("X refused the bearer token (HTTP 401 on GET /2/tweets/search/stream/rules):"
                            + " check the bearer token given in code")
                    .hasMessageNotContaining("wrong-secret-token")
                    .hasNoCause();
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aRefusedTokenOnTheStreamFailsTheSourceInsteadOfBackingOff() throws Exception {
        server.withoutApiAccess();
        try (FetcherHarness h = new FetcherHarness(server, 10, null, b -> b.syncRules(false))) {
            h.runToEnd();
            assertThat(h.fetcher.failure()).isInstanceOf(XSourceException.class)
                    .hasMessageStartingWith("X refused the bearer token (HTTP 403 on GET /2/tweets/search/stream):")
                    .hasMessageContaining("client-not-enrolled");
            assertThat(h.clock.sleeps()).isEmpty();
        }
        assertThat(server.requests()).singleElement().asString().startsWith("GET /2/tweets/search/stream?");
    }

    @Test
    void aRefusedTokenOnTheGapFillsSearchFailsTheSourceToo() throws Exception {
        server.searchReply(403, "{\"title\":\"Forbidden\",\"detail\":\"Forbidden\",\"status\":403}", Map.of());
        server.nextStream().keepAlive().thenHang();
        try (FetcherHarness h = new FetcherHarness(server, 10, "100", b -> b.syncRules(false))) {
            h.runToEnd();
            assertThat(h.fetcher.failure()).isInstanceOf(XSourceException.class)
                    .hasMessageStartingWith("X refused the bearer token (HTTP 403 on GET /2/tweets/search/recent):");
        }
    }

    /** The bytes of a record as text. */
    static final class FakeXServerText {
        static String of(RawRecord r) {
            return new String(r.bytes, StandardCharsets.UTF_8);
        }
    }
}
