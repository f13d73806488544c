package io.tidings.source.x.reader;

import static io.tidings.source.x.testing.FakeXServer.tweet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.tidings.records.RawRecord;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.source.common.testing.RecordingClock;
import io.tidings.source.common.testing.TestReaderContext;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.source.XStreamSource;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import io.tidings.source.x.testing.FakeXServer;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Before the first post there is no newest id to fill a gap from: the reader fills it from when the
 * subscription started ({@code start_time}), which the checkpoint holds too. X holds posts from an hour
 * before the subscription (which must not come) and posts since it started, which only recent search
 * can still bring: each must arrive exactly once.
 */
class XGapFillBeforeTheFirstPostTest {
    /** When the subscription starts: the reader's clock at the start (a recording clock: waits take no time). */
    private static final long START = 1_800_000_000_000L;
    private static final long BEFORE_ID = 1_861_234_560_000L;
    private static final long SINCE_ID = 1_861_234_570_000L;
    private static final long LIVE_ID = 1_861_234_580_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static SourceReader<RawRecord, XStreamSplit> reader(FakeXServer server, RecordingClock clock) {
        return XStreamSource.builder()
                .bearerToken(FakeXServer.TOKEN)
                .apiBase(server.uri())
                .rules(List.of(XRule.of("acme OR #acme", "acme")))
                .stallTimeout(Duration.ofMillis(300))
                .requestTimeout(Duration.ofSeconds(5))
                .clock(clock)
                .build()
                .createReader(new TestReaderContext());
    }

    /** Posts X holds from an hour before {@link #START}: none may come. */
    private static void holdsPostsFromBeforeTheStart(FakeXServer server) {
        for (int i = 0; i < 3; i++) {
            server.holdsPost(String.valueOf(BEFORE_ID + i), Instant.ofEpochMilli(START).minusSeconds(3_600 - i));
        }
    }

    /** {@code n} posts X holds from {@link #START} on, {@code stepMillis} apart; their ids, as positions. */
    private static List<String> holdsPostsSinceTheStart(FakeXServer server, int n, long stepMillis) {
        List<String> positions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.valueOf(SINCE_ID + i);
            server.holdsPost(id, Instant.ofEpochMilli(START + i * stepMillis));
            positions.add("tweet " + id);
        }
        return positions;
    }

    enum FirstConnection {
        /** Connected, then nothing at all: a stall before any byte. */
        STALLS,
        /** HTTP 429. */
        IS_RATE_LIMITED,
        /** HTTP 503. */
        IS_UNAVAILABLE,
        /** Connected, a keep-alive, then the server closes it. */
        DROPS;

        void script(FakeXServer server) {
            switch (this) {
                case STALLS -> server.nextStream().thenHang();
                case IS_RATE_LIMITED -> server.nextStream().status(429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\"}");
                case IS_UNAVAILABLE -> server.nextStream().status(503, "{\"title\":\"Service Unavailable\"}");
                case DROPS -> server.nextStream().keepAlive();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FirstConnection.class)
    void whenTheFirstConnectionFailsBeforeAnyPostTheReconnectFillsFromTheStartOfTheSubscription(FirstConnection first)
            throws Exception {
        RecordingClock clock = new RecordingClock(START, 100);
        try (FakeXServer server = new FakeXServer().clock(clock::nowMillis)) {
            holdsPostsFromBeforeTheStart(server);
            // 250 posts in the first 5 s: three pages of recent search
            List<String> expected = holdsPostsSinceTheStart(server, 250, 20);
            first.script(server);
            FakeXServer.StreamScript second = server.nextStream().keepAlive();
            for (int i = 0; i < 2; i++) {
                second.line(tweet(String.valueOf(LIVE_ID + i), "live " + i, "acme"));
                expected.add("tweet " + (LIVE_ID + i));
            }
            second.thenHang();
            SourceReader<RawRecord, XStreamSplit> reader = reader(server, clock);
            reader.start();
            reader.addSplits(List.of(XStreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, expected.size(), TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(500));

            assertThat(out.records).extracting(r -> r.position).containsExactlyInAnyOrderElementsOf(expected);
            // The reconnect searched from the start, three pages; a later reconnect (the fake's second
            // connection stalls too) searches since the newest post.
            List<String> searches = server.searchRequests();
            assertThat(searches.subList(0, 3)).allSatisfy(search ->
                    assertThat(search).contains("start_time=").doesNotContain("since_id"));
            assertThat(searches.subList(3, searches.size())).allSatisfy(search -> assertThat(search).contains("since_id"));
            assertThat(reader.snapshotState(1L)).singleElement()
                    .satisfies(split -> assertThat(split.newestPostId()).contains(String.valueOf(LIVE_ID + 1)));
            reader.close();
        }
    }

    @Test
    void aRestoreFromACheckpointTakenBeforeAnyPostFillsFromTheStartOfTheSubscription() throws Exception {
        XStreamSplitSerializer serializer = new XStreamSplitSerializer();
        byte[] checkpoint;
        try (FakeXServer server = new FakeXServer()) {
            server.nextStream().keepAlive().thenHang(); // connected, no post yet
            SourceReader<RawRecord, XStreamSplit> reader = reader(server, new RecordingClock(START, 100));
            reader.start();
            reader.addSplits(List.of(XStreamSplit.fresh()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (server.streamConnections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.streamConnections()).isEqualTo(1);
            List<XStreamSplit> state = reader.snapshotState(1L);
            assertThat(state).singleElement().satisfies(split -> assertThat(split.newestPostId()).isEmpty());
            checkpoint = serializer.serialize(state.get(0));
            reader.close();
        }

        // An hour later, the job restores that checkpoint: X holds the posts of that hour.
        RecordingClock later = new RecordingClock(START + 3_600_000, 100);
        try (FakeXServer server = new FakeXServer().clock(later::nowMillis)) {
            holdsPostsFromBeforeTheStart(server);
            List<String> expected = holdsPostsSinceTheStart(server, 40, 90_000);
            server.nextStream().line(tweet(String.valueOf(LIVE_ID), "live", "acme")).thenHang();
            expected.add("tweet " + LIVE_ID);
            SourceReader<RawRecord, XStreamSplit> reader = reader(server, later);
            reader.start();
            reader.addSplits(List.of(serializer.deserialize(serializer.getVersion(), checkpoint)));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, expected.size(), TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(500));

            assertThat(out.records).extracting(r -> r.position).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(server.searchRequests()).first().asString()
                    .contains("start_time=" + XRecentSearch.encode(Instant.ofEpochMilli(START).toString()));
            reader.close();
        }
    }
}
