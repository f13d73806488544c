package io.tidings.source.x.reader;

import static io.tidings.source.x.testing.FakeXServer.tweet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.tidings.source.common.testing.TestReaderContext;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.records.RawRecord;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.source.XStreamSource;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import io.tidings.source.x.testing.FakeXServer;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.api.Test;

class XStreamSourceReaderTest {

    private static XStreamSource source(FakeXServer server) {
        return XStreamSource.builder()
                .bearerToken(FakeXServer.TOKEN)
                .apiBase(server.uri())
                .rules(List.of(XRule.of("cats", "cats")))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static void pollUntil(SourceReader<RawRecord, XStreamSplit> reader, CollectingOutput<RawRecord> out, int n)
            throws Exception {
        out.pollUntil(reader, n, Duration.ofSeconds(15));
    }

    @Test
    void restoredSplitCarriesTheNewestIdAndGapFillSearchesSinceIt() throws Exception {
        XStreamSplitSerializer serializer = new XStreamSplitSerializer();
        byte[] checkpoint;
        try (FakeXServer server = new FakeXServer()) {
            server.nextStream().line(tweet("1861234567810", "a", "cats")).line(tweet("1861234567811", "b", "cats")).thenHang();
            SourceReader<RawRecord, XStreamSplit> reader = source(server).createReader(new TestReaderContext());
            reader.start();
            reader.addSplits(List.of(XStreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            pollUntil(reader, out, 2);
            List<XStreamSplit> state = reader.snapshotState(1L);
            assertThat(state).hasSize(1);
            assertThat(state.get(0).newestPostId()).contains("1861234567811");
            checkpoint = serializer.serialize(state.get(0));
            reader.close();
        }

        XStreamSplit restored = serializer.deserialize(serializer.getVersion(), checkpoint);
        assertThat(restored.newestPostId()).contains("1861234567811");
        try (FakeXServer server = new FakeXServer()) {
            server.holdsRule("7", "cats", "cats");
            server.searchReply(200, FakeXServer.searchPage(null, "1861234567812"), Map.of("x-rate-limit-remaining", "400"));
            server.nextStream().line(tweet("1861234567813", "c", "cats")).thenHang();
            SourceReader<RawRecord, XStreamSplit> reader = source(server).createReader(new TestReaderContext());
            reader.start();
            reader.addSplits(List.of(restored));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            pollUntil(reader, out, 2);
            assertThat(out.records).extracting(r -> r.source + " " + r.position)
                    .containsExactly("x-search tweet 1861234567812", "x-stream tweet 1861234567813");
            assertThat(server.requests()).filteredOn(r -> r.startsWith("GET /2/tweets/search/recent"))
                    .singleElement().asString().contains("since_id=1861234567811");
            assertThat(reader.snapshotState(2L).get(0).newestPostId()).contains("1861234567813");
            reader.close();
        }
    }

    /** A reader of a fresh split, with the compliance stream on. */
    private static SourceReader<RawRecord, XStreamSplit> startedComplianceReader(FakeXServer server) throws Exception {
        SourceReader<RawRecord, XStreamSplit> reader = XStreamSource.builder()
                .bearerToken(FakeXServer.TOKEN).apiBase(server.uri()).rule("cats", "cats")
                .requestTimeout(Duration.ofSeconds(5)).complianceStream(true).build()
                .createReader(new TestReaderContext());
        reader.start();
        reader.addSplits(List.of(XStreamSplit.fresh()));
        return reader;
    }

    @Test
    void withTheComplianceStreamTheReaderFollowsAllFourPartitionsAndOnlyPostsMoveThePosition() throws Exception {
        try (FakeXServer server = new FakeXServer()) {
            server.nextStream().line(tweet("1861234567820", "a", "cats")).thenHang();
            server.nextComplianceStream(3).pause(300)
                    .line(FakeXServer.complianceDelete("1861234567001", "u1", "2026-11-20T10:00:00.000Z")).thenHang();
            SourceReader<RawRecord, XStreamSplit> reader = startedComplianceReader(server);
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            pollUntil(reader, out, 2);
            assertThat(out.records).extracting(r -> r.source + " " + r.position).containsExactlyInAnyOrder(
                    "x-stream tweet 1861234567820", "x-compliance partition 3 delete tweet 1861234567001");
            assertThat(reader.snapshotState(1L).get(0).newestPostId()).contains("1861234567820");
            reader.close();
            assertThat(server.complianceRequests()).containsExactlyInAnyOrder(
                    "/2/tweets/compliance/stream?partition=1", "/2/tweets/compliance/stream?partition=2",
                    "/2/tweets/compliance/stream?partition=3", "/2/tweets/compliance/stream?partition=4");
        }
    }

    @Test
    void withoutComplianceAccessTheReaderFailsWithAReadableMessage() throws Exception {
        try (FakeXServer server = new FakeXServer().withoutComplianceAccess()) {
            server.nextStream().keepAlive().thenHang();
            SourceReader<RawRecord, XStreamSplit> reader = startedComplianceReader(server);
            reader.isAvailable().get(15, java.util.concurrent.TimeUnit.SECONDS);
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.pollNext(out))
                    .hasMessageContaining("compliance stream").hasMessageContaining("HTTP 403");
            reader.close();
        }
    }

    @Test
    void aFatalFetchErrorFailsPollNext() throws Exception {
        try (FakeXServer server = new FakeXServer()) {
            SourceReader<RawRecord, XStreamSplit> reader = XStreamSource.builder()
                    .bearerToken("not-the-token").apiBase(server.uri()).rule("cats", "cats").build()
                    .createReader(new TestReaderContext());
            reader.start();
            reader.addSplits(List.of(XStreamSplit.fresh()));
            reader.isAvailable().get();
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.pollNext(out))
                    .hasMessageContaining("HTTP 401").hasMessageNotContaining("not-the-token");
            reader.close();
        }
    }
}
