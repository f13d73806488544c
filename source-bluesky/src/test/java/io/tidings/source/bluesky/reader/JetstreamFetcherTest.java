package io.tidings.source.bluesky.reader;

import static io.tidings.source.bluesky.testing.FakeJetstream.account;
import static io.tidings.source.bluesky.testing.FakeJetstream.delete;
import static io.tidings.source.bluesky.testing.FakeJetstream.identity;
import static io.tidings.source.bluesky.testing.FakeJetstream.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.testing.FakeJetstream;
import org.junit.jupiter.api.Test;

class JetstreamFetcherTest {
    static final long T0 = 1_725_911_162_000_000L;
    static final String ALICE = "did:plc:alice2kzc6l7uv3mk3wpqsgzn";
    static final String BOB = "did:plc:bob7xqv2ncyp4mi5jxu4bkaa";

    private static String text(RawRecord r) {
        return new String(r.bytes, StandardCharsets.UTF_8);
    }

    private static long t(int second) {
        return T0 + second * 1_000_000L;
    }

    private static Map<String, List<String>> keywords() {
        Map<String, List<String>> k = new LinkedHashMap<>();
        k.put("streaming", List.of("flink", "apache kafka"));
        k.put("cats", List.of("cat"));
        return k;
    }

    @Test
    void emitsMatchingPostsAsExactBytesInOrderWithTheirFilterNames() throws Exception {
        String p1 = post(t(1), ALICE, "3kaaa0000001", "Loving Apache Flink today", "en");
        String p2 = post(t(2), ALICE, "3kaaa0000002", "the flinkster is not a match", "en");
        String p3 = post(t(3), BOB, "3kaaa0000003", "Apache\n  KAFKA and my CAT", "en-US", "de");
        String p4 = post(t(4), BOB, "3kaaa0000004", "Flink auf Deutsch", "de");
        String d5 = delete(t(5), ALICE, "3kaaa0000002");
        String i6 = identity(t(6), ALICE, "alice.bsky.social");
        String a7 = account(t(7), BOB);
        String p8 = post(t(8), ALICE, "3kaaa0000008", "a cat 🐈 and “quotes” ✓ — split into parts", "en");
        String p9 = post(t(9), BOB, "3kaaa0000009", "no langs at all: flink", new String[0]);
        try (FakeJetstream server = new FakeJetstream()) {
            server.nextConnection().send(p1).send(p2).send(p3).send(p4).send(d5).send(i6).send(a7)
                    .sendInParts(p8, 7).send(p9).thenHang();
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1,
                    b -> b.keywords(keywords()).languages(Set.of("EN")))) {
                h.start().awaitRecords(4).awaitElements(9);
                List<RawRecord> records = h.records();
                assertThat(records).extracting(JetstreamFetcherTest::text).containsExactly(p1, p3, d5, p8);
                assertThat(records.get(3).bytes).isEqualTo(p8.getBytes(StandardCharsets.UTF_8));
                assertThat(records).extracting(r -> r.position)
                        .containsExactly("time_us " + t(1), "time_us " + t(3), "time_us " + t(5), "time_us " + t(8));
                assertThat(records).extracting(r -> r.source).containsOnly("bluesky-jetstream:" + server.authority());
                assertThat(records).extracting(r -> List.of(r.matchedRules)).containsExactly(
                        List.of("streaming"), List.of("streaming", "cats"), List.of(), List.of("cats"));
                assertThat(records).extracting(r -> r.receivedAt).containsOnly(FetcherHarness.START);
                // every event moves the cursor, emitted or not, in order
                assertThat(h.elements()).extracting(JetstreamFetchedElement::timeUs)
                        .containsExactly(t(1), t(2), t(3), t(4), t(5), t(6), t(7), t(8), t(9));
                assertThat(h.fetcher.lastTimeUs()).isEqualTo(t(9));
                assertThat(h.metrics.received.get()).isEqualTo(9);
                assertThat(h.metrics.matched.get()).isEqualTo(4);
                assertThat(h.metrics.filtered.get()).isEqualTo(5);
                assertThat(h.metrics.lagMs(t(9) / 1000 + 250)).isEqualTo(250);
                assertThat(h.clock.sleeps()).isEmpty();
            }
            assertThat(server.requests()).containsExactly("GET /subscribe?wantedCollections=app.bsky.feed.post HTTP/1.1");
        }
    }

    @Test
    void withoutFiltersEveryPostAndDeleteIsEmittedAndIdentityAndAccountAreNot() throws Exception {
        String p1 = post(t(1), ALICE, "3kbbb0000001", "anything", "ja");
        String big = post(t(2), BOB, "3kbbb0000002", "long ".repeat(30_000) + "end", "en");
        String i3 = identity(t(3), BOB, "bob.example.com");
        String d4 = delete(t(4), BOB, "3kbbb0000002");
        try (FakeJetstream server = new FakeJetstream()) {
            server.nextConnection().send(p1).sendInParts(big, 5).send(i3).send("not json {").send(d4).thenHang();
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1, b -> b)) {
                h.start().awaitRecords(4);
                assertThat(h.records()).extracting(JetstreamFetcherTest::text).containsExactly(p1, big, "not json {", d4);
                assertThat(h.records()).extracting(r -> r.position).containsExactly(
                        "time_us " + t(1), "time_us " + t(2), "connection 1 message 4", "time_us " + t(4));
                assertThat(h.records()).allSatisfy(r -> assertThat(r.matchedRules).isEmpty());
                assertThat(h.metrics.errors.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void aDroppedConnectionReconnectsFromTheLastTimeMinusFiveSecondsWithNoGapAndNoDuplicates() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            all.add(post(t(i), ALICE, "3kccc00000" + (10 + i), "post " + i, "en"));
        }
        try (FakeJetstream server = new FakeJetstream()) {
            server.publish(all.toArray(new String[0]));
            FakeJetstream.Script first = server.nextConnection();
            for (int i = 0; i < 5; i++) {
                first.send(all.get(i));
            }
            first.thenDrop();
            // the second connection (no script) replays the log from the requested cursor
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1, b -> b)) {
                h.start().awaitRecords(10);
                Thread.sleep(100);
                assertThat(h.records()).extracting(JetstreamFetcherTest::text).containsExactlyElementsOf(all);
                // A TCP reset may discard messages the client had not read yet, so the first
                // connection delivered k of the 5 (usually all): the reconnect asks for t(k) - 5 s and
                // the k replayed events already emitted are dropped as duplicates.
                assertThat(server.cursors()).hasSize(2).first().isEqualTo(-1L);
                long cursor = server.cursors().get(1);
                int delivered = (int) ((cursor + 5_000_000L - t(0)) / (t(1) - t(0)));
                assertThat(delivered).isBetween(1, 5);
                assertThat(cursor).isEqualTo(t(delivered) - 5_000_000L);
                assertThat(h.metrics.duplicates.get()).isEqualTo(delivered);
                assertThat(h.metrics.reconnects.get()).isEqualTo(1);
                assertThat(h.metrics.errors.get()).isEqualTo(1);
                assertThat(h.clock.sleeps()).containsExactly(1_000L);
            }
        }
    }

    @Test
    void failsOverToTheNextEndpointWhenOneRefusesAndBacksOffDoubling() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI refusing = URI.create("ws://127.0.0.1:" + closedPort + "/subscribe");
        String p1 = post(t(1), BOB, "3kddd0000001", "hello from the second instance", "en");
        try (FakeJetstream unavailable = new FakeJetstream(); FakeJetstream good = new FakeJetstream()) {
            unavailable.nextConnection().refuse(503);
            good.publish(p1);
            try (FetcherHarness h = new FetcherHarness(List.of(refusing, unavailable.uri(), good.uri()), -1,
                    b -> b.authors(Set.of(BOB, ALICE)))) {
                h.start().awaitRecords(1);
                assertThat(h.records()).extracting(JetstreamFetcherTest::text).containsExactly(p1);
                assertThat(h.records().get(0).source).isEqualTo("bluesky-jetstream:" + good.authority());
                assertThat(h.clock.sleeps()).containsExactly(1_000L, 2_000L);
                assertThat(h.metrics.errors.get()).isEqualTo(2);
                assertThat(h.metrics.reconnects.get()).isEqualTo(2);
            }
            assertThat(unavailable.requests()).hasSize(1);
            // before the first event, a reconnect asks for the events since the subscription started
            assertThat(good.requests()).singleElement().asString()
                    .contains("wantedCollections=app.bsky.feed.post")
                    .contains("&wantedDids=did%3Aplc%3Aalice2kzc6l7uv3mk3wpqsgzn")
                    .contains("&wantedDids=did%3Aplc%3Abob7xqv2ncyp4mi5jxu4bkaa")
                    .contains("&cursor=" + FetcherHarness.START * 1000);
            assertThat(unavailable.cursors()).containsExactly(FetcherHarness.START * 1000);
        }
    }

    @Test
    void aStalledConnectionIsReplacedAndAClosedOneToo() throws Exception {
        String p1 = post(t(1), ALICE, "3keee0000001", "before the stall", "en");
        String p2 = post(t(2), ALICE, "3keee0000002", "after the stall", "en");
        String p3 = post(t(3), ALICE, "3keee0000003", "after the close", "en");
        try (FakeJetstream server = new FakeJetstream()) {
            server.publish(p1, p2);
            server.nextConnection().ignorePings().send(p1).thenHang();
            server.nextConnection().replayFromCursor().thenClose(1001, "going away");
            server.nextConnection().send(p1).send(p2).send(p3).thenHang();
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1,
                    b -> b.stallTimeout(Duration.ofMillis(300)))) {
                h.start().awaitRecords(3);
                assertThat(h.records()).extracting(JetstreamFetcherTest::text).containsExactly(p1, p2, p3);
                assertThat(server.cursors()).containsExactly(-1L, t(1) - 5_000_000L, t(2) - 5_000_000L);
                assertThat(h.metrics.reconnects.get()).isEqualTo(2);
                assertThat(h.metrics.errors.get()).isEqualTo(1); // the stall; a close is not an error
                assertThat(h.clock.sleeps()).containsExactly(1_000L, 1_000L);
            }
        }
    }

    @Test
    void aQuietConnectionThatAnswersPingsIsNotAStall() throws Exception {
        String p1 = post(t(1), ALICE, "3khhh0000001", "one", "en");
        String p2 = post(t(2), ALICE, "3khhh0000002", "a second later", "en");
        try (FakeJetstream server = new FakeJetstream()) {
            server.nextConnection().send(p1).pause(1_200).send(p2).thenHang();
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1,
                    b -> b.stallTimeout(Duration.ofMillis(300)))) {
                h.start().awaitRecords(2);
                assertThat(h.records()).extracting(JetstreamFetcherTest::text).containsExactly(p1, p2);
                assertThat(server.requests()).hasSize(1);
                assertThat(server.pings()).isGreaterThanOrEqualTo(2);
                assertThat(h.metrics.reconnects.get()).isZero();
            }
        }
    }

    @Test
    void subscribeUriAndCursor() {
        assertThat(JetstreamFetcher.subscribeUri(URI.create("wss://jetstream1.us-east.bsky.network/subscribe"),
                List.of("did:plc:x"), 1_725_911_157_000_000L)).hasToString(
                "wss://jetstream1.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post"
                        + "&wantedDids=did%3Aplc%3Ax&cursor=1725911157000000");
    }

    /** {@code json}'s bytes with the two bytes at {@code marker} replaced by 0xC3 0x28: not UTF-8 there. */
    static byte[] notUtf8At(String json, String marker) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int at = json.indexOf(marker); // ASCII before it: char index = byte index
        bytes[at] = (byte) 0xC3;
        bytes[at + 1] = (byte) 0x28;
        return bytes;
    }

    @Test
    void aFrameThatIsNotUtf8IsADeadLetterOnceTheConnectionFailsWith1007AndTheReplayNeitherRepeatsNorLoops() throws Exception {
        List<String> posts = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            posts.add(post(t(i), ALICE, "3kddd00000" + (10 + i), "post number " + i, "en"));
        }
        byte[] bad3 = notUtf8At(posts.get(2), "number 3");
        try (FakeJetstream server = new FakeJetstream()) {
            server.publish(posts.get(0), posts.get(1)).publishRaw(bad3)
                    .publish(posts.get(3), posts.get(4), posts.get(5));
            server.nextConnection().send(posts.get(0)).send(posts.get(1)).sendRaw(bad3).send(posts.get(3)).thenHang();
            // the second connection (no script) replays the log from its cursor, the bad frame included
            try (FetcherHarness h = new FetcherHarness(List.of(server.uri()), -1, b -> b)) {
                h.start().awaitRecords(6);
                Thread.sleep(300);
                List<RawRecord> records = h.records();
                assertThat(records).extracting(r -> r.position).containsExactly("time_us " + t(1), "time_us " + t(2),
                        "connection 1 message 3", "time_us " + t(4), "time_us " + t(5), "time_us " + t(6));
                assertThat(records.get(2).bytes).as("the frame's exact bytes").isEqualTo(bad3);
                assertThat(h.elements()).filteredOn(e -> e.record() != null && e.record().position.startsWith("connection"))
                        .singleElement().satisfies(e -> assertThat(e.timeUs()).as("the cursor moves past it").isEqualTo(t(3)));
                assertThat(h.metrics.duplicates.get()).as("posts 1, 2 and the bad frame, replayed").isEqualTo(3);
            }
            assertThat(server.closeCodes()).as("RFC 6455: invalid UTF-8 fails the connection with 1007").containsExactly(1007);
            assertThat(server.cursors()).as("one reconnect, from the bad frame's time_us - 5 s")
                    .containsExactly(-1L, t(3) - 5_000_000L);
        }
    }
}
