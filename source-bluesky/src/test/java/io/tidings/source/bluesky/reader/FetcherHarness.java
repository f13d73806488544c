package io.tidings.source.bluesky.reader;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.bluesky.source.JetstreamSourceBuilder;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.common.testing.RecordingClock;

/**
 * Runs a {@link JetstreamFetcher} against fake servers, collecting what it fetches: the set-up; the
 * running, collecting and waiting are the shared {@link io.tidings.source.common.testing.FetcherHarness}.
 */
final class FetcherHarness
        extends io.tidings.source.common.testing.FetcherHarness<RawRecord, JetstreamFetchedElement, FetcherHarness> {
    /** When the clock starts and the subscription started (epoch ms): the tests' first events come after it. */
    static final long START = 1_725_911_162_000L;

    final JetstreamReaderMetrics metrics = new JetstreamReaderMetrics();
    final RecordingClock clock = new RecordingClock(START, 1_000);
    final JetstreamFetcher fetcher;
    final JetstreamSourceConfig config;

    /** A fetcher going on after {@code startAfterTimeUs}, or, with -1, of a subscription that starts at {@link #START}. */
    FetcherHarness(List<URI> endpoints, long startAfterTimeUs, UnaryOperator<JetstreamSourceBuilder> more) {
        JetstreamSourceBuilder b = JetstreamSource.builder()
                .endpoints(endpoints)
                .stallTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5))
                .clock(clock);
        this.config = more.apply(b).build().config();
        JetstreamSplit split = new JetstreamSplit(JetstreamSplit.SPLIT_ID, startAfterTimeUs, START * 1000, Map.of());
        this.fetcher = new JetstreamFetcher(config, split, startAfterTimeUs < 0, sink(), metrics);
    }

    @Override
    protected JetstreamFetcher loop() {
        return fetcher;
    }
}
