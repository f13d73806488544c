package io.tidings.source.x.reader;

import static io.tidings.source.x.testing.FakeXServer.complianceDelete;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import io.tidings.records.RawRecord;
import io.tidings.source.x.testing.FakeXServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XComplianceFetcherTest {
    private static final String PATH = "/2/tweets/compliance/stream";
    private FakeXServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeXServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** One partition's fetcher, with the recording clock and metrics of a {@link FetcherHarness}. */
    private final class Partition
            extends io.tidings.source.common.testing.FetcherHarness<RawRecord, XFetchedElement, Partition> {
        final FetcherHarness harness = new FetcherHarness(server, 5, null, b -> b.complianceStream(true));
        final XComplianceFetcher fetcher;

        Partition(int partition, boolean restored) {
            XApiClient client = new XApiClient(harness.config.apiBase(), FakeXServer.TOKEN, Duration.ofSeconds(5));
            fetcher = new XComplianceFetcher(harness.config, client, partition, restored, sink(), harness.metrics);
        }

        @Override
        protected XComplianceFetcher loop() {
            return fetcher;
        }
    }

    private static String text(RawRecord r) {
        return new String(r.bytes, StandardCharsets.UTF_8);
    }

    @Test
    void emitsThePartitionsEventsAsReceivedAndReconnectsAtOnceAskingForBackfill() throws Exception {
        String d1 = complianceDelete("1861234567801", "u1", "2026-11-20T10:00:01.000Z");
        String d2 = complianceDelete("1861234567802", "u2", "2026-11-20T10:00:02.000Z");
        String d3 = complianceDelete("1861234567803", "u3", "2026-11-20T10:00:03.000Z");
        server.nextComplianceStream(2).keepAlive().line(d1).keepAlive().send(d2.substring(0, 20))
                .send(d2.substring(20) + "\r\n"); // then the server closes the stream
        server.nextComplianceStream(2).keepAlive().line(d3).thenHang();
        try (Partition p = new Partition(2, false).start()) {
            List<RawRecord> records = p.awaitRecords(3).records();
            assertThat(records).extracting(XComplianceFetcherTest::text).containsExactly(d1, d2, d3);
            assertThat(records).extracting(r -> r.source).containsOnly("x-compliance");
            assertThat(records).extracting(r -> r.position).containsExactly("partition 2 delete tweet 1861234567801",
                    "partition 2 delete tweet 1861234567802", "partition 2 delete tweet 1861234567803");
            assertThat(p.out).noneMatch(XFetchedElement::advancesPosition);
            assertThat(p.harness.metrics.complianceEvents.get()).isEqualTo(3);
            assertThat(p.harness.metrics.reconnects.get()).isEqualTo(1);
            assertThat(p.harness.clock.sleeps()).as("an established connection that dropped reconnects at once").isEmpty();
        }
        assertThat(server.complianceRequests())
                .containsExactly(PATH + "?partition=2", PATH + "?partition=2&backfill_minutes=5");
    }

    @Test
    void aRestoredReaderAsksForBackfillOnItsFirstConnection() throws Exception {
        server.nextComplianceStream(4).line(complianceDelete("9", "u9", "2026-11-20T10:00:00.000Z")).thenHang();
        try (Partition p = new Partition(4, true).start()) {
            p.awaitRecords(1);
        }
        assertThat(server.complianceRequests()).containsExactly(PATH + "?partition=4&backfill_minutes=5");
    }

    @Test
    void anAccessLevelWithoutTheComplianceStreamFailsTheSourceWithAReadableMessage() throws Exception {
        server.withoutComplianceAccess();
        try (Partition p = new Partition(1, false)) {
            p.fetcher.run();
            assertThat(p.fetcher.failure()).isInstanceOf(XSourceException.class);
            assertThat(p.fetcher.failure().getMessage()).contains("HTTP 403", "client-not-enrolled", "Enterprise",
                    "partition 1").doesNotContain(FakeXServer.TOKEN);
            assertThat(p.harness.clock.sleeps()).as("no retry: more tries cannot get access").isEmpty();
        }
    }

    @Test
    void serverErrorsBackOffAsOnTheFilteredStreamAndRateLimitsWaitForTheReset() throws Exception {
        server.nextComplianceStream(3).status(503, "{\"title\":\"Service Unavailable\"}");
        server.nextComplianceStream(3).status(429, "{\"title\":\"Too Many Requests\"}")
                .header("x-rate-limit-reset", String.valueOf(FetcherHarness.START / 1000 + 5 + 90));
        server.nextComplianceStream(3).line(complianceDelete("7", "u7", "2026-11-20T10:00:00.000Z")).thenHang();
        try (Partition p = new Partition(3, false).start()) {
            p.awaitRecords(1);
            // 5 s after the 503; after the 429, until the reset 90 s after "now" (later than 60 s).
            assertThat(p.harness.clock.sleeps()).containsExactly(5_000L, 90_000L);
            assertThat(p.harness.metrics.errors.get()).isEqualTo(2);
        }
    }

    @Test
    void junkLinesGoToTheDeadLettersAndAnOperationalDisconnectReconnects() throws Exception {
        server.nextComplianceStream(1).line("not json {").line("{\"unexpected\":true}")
                .line("{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":\"UpstreamOperationalDisconnect\","
                        + "\"detail\":\"This stream has been disconnected upstream for operational reasons.\","
                        + "\"type\":\"https://api.x.com/2/problems/operational-disconnect\"}]}")
                .thenHang();
        server.nextComplianceStream(1).line(complianceDelete("8", "u8", "2026-11-20T10:00:00.000Z")).thenHang();
        try (Partition p = new Partition(1, false).start()) {
            List<RawRecord> records = p.awaitRecords(3).records();
            assertThat(records).extracting(r -> r.position).containsExactly("partition 1 connection 1 line 1 (not JSON)",
                    "partition 1 connection 1 line 2", "partition 1 delete tweet 8");
            assertThat(p.harness.metrics.invalidLines.get()).isEqualTo(1);
            assertThat(p.harness.clock.sleeps()).isEmpty();
        }
        assertThat(server.complianceRequests()).endsWith(PATH + "?partition=1&backfill_minutes=5");
    }

    @Test
    void theFakeServerRefusesAMissingOrWrongPartitionAsXDoes() throws Exception {
        XApiClient client = new XApiClient(server.uri(), FakeXServer.TOKEN, Duration.ofSeconds(5));
        for (String query : List.of("", "?partition=5", "?partition=1&backfill_minutes=9")) {
            XApiClient.StreamResponse resp = client.openStream(PATH + query);
            String body = XStreamingLoop.drain(resp.body(), 10_000, 5_000);
            assertThat(resp.status()).as(query).isEqualTo(400);
            assertThat(body).contains("invalid-request");
            resp.body().cancel();
        }
        XApiClient.StreamResponse ok = client.openStream(PATH + "?partition=4&backfill_minutes=5");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().poll(5_000)).as("a keep-alive").isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));
        ok.body().cancel();
    }
}
