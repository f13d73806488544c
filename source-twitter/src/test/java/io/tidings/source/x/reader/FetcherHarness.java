package io.tidings.source.x.reader;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import io.tidings.records.RawRecord;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.source.XStreamSource;
import io.tidings.source.x.source.XStreamSourceBuilder;
import io.tidings.source.x.source.XStreamSourceConfig;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.testing.FakeXServer;
import io.tidings.source.common.testing.RecordingClock;

/**
 * Runs an {@link XStreamFetcher} against a fake server, collecting what it fetches: the set-up; the
 * running, collecting and waiting are the shared {@link io.tidings.source.common.testing.FetcherHarness}.
 */
final class FetcherHarness
        extends io.tidings.source.common.testing.FetcherHarness<RawRecord, XFetchedElement, FetcherHarness> {
    static final long START = 1_800_000_000_000L;

    final XReaderMetrics metrics = new XReaderMetrics();
    final RecordingClock clock;
    final XStreamFetcher fetcher;
    final XStreamSourceConfig config;

    /** A fetcher going on after {@code startAfterId}, or, with null, of a subscription that starts at {@link #START}. */
    FetcherHarness(FakeXServer server, int maxSleeps, String startAfterId, UnaryOperator<XStreamSourceBuilder> more) {
        this(server, maxSleeps, new XStreamSplit(XStreamSplit.STREAM_SPLIT_ID, startAfterId, XStreamSplit.NO_TIME, START),
                startAfterId == null, more);
    }

    /** A fetcher of {@code split} (whose subscription has started), fresh or going on after a restore. */
    FetcherHarness(FakeXServer server, int maxSleeps, XStreamSplit split, boolean freshSubscription,
            UnaryOperator<XStreamSourceBuilder> more) {
        this.clock = new RecordingClock(START, maxSleeps);
        XStreamSourceBuilder b = XStreamSource.builder()
                .bearerToken(FakeXServer.TOKEN)
                .apiBase(server.uri())
                .rules(List.of(XRule.of("cats has:images", "cats")))
                .stallTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5))
                .clock(clock);
        this.config = more.apply(b).build().config();
        XApiClient client = new XApiClient(config.apiBase(), config.bearerToken().resolve(),
                Duration.ofMillis(config.requestTimeoutMs()));
        this.fetcher = new XStreamFetcher(config, client, split, freshSubscription, sink(), metrics);
    }

    @Override
    protected XStreamFetcher loop() {
        return fetcher;
    }

    List<String> positions() {
        return records().stream().map(r -> r.position).toList();
    }
}
