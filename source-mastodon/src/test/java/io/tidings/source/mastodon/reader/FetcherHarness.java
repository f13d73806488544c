package io.tidings.source.mastodon.reader;

import io.tidings.records.RawRecord;
import io.tidings.source.common.testing.RecordingClock;
import io.tidings.source.mastodon.source.MastodonSource;
import io.tidings.source.mastodon.source.MastodonSourceBuilder;
import io.tidings.source.mastodon.source.MastodonSourceConfig;
import io.tidings.source.mastodon.source.MastodonTimeline;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.StatusIds;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a {@link MastodonFetcher} against a fake server, collecting what it fetches: the set-up; the
 * running, collecting and waiting are the shared {@link io.tidings.source.common.testing.FetcherHarness}.
 */
final class FetcherHarness
        extends io.tidings.source.common.testing.FetcherHarness<RawRecord, MastodonFetchedElement, FetcherHarness> {
    /** When the clock starts and the subscription started (epoch ms): the tests' statuses come after it. */
    static final long START = 1_764_000_000_000L;

    final MastodonReaderMetrics metrics = new MastodonReaderMetrics();
    final RecordingClock clock;
    final MastodonFetcher fetcher;

    /** A fetcher of a subscription that starts now (fresh), following #flink. */
    static FetcherHarness fresh(URI server, UnaryOperator<MastodonSourceBuilder> more) {
        return new FetcherHarness(server, "", true, 1_000, more);
    }

    /** A fetcher going on after {@code lastStatusId} (a restore, or a reader that took the split over). */
    static FetcherHarness after(URI server, String lastStatusId, UnaryOperator<MastodonSourceBuilder> more) {
        return new FetcherHarness(server, lastStatusId, false, 1_000, more);
    }

    /** A fetcher restored from a checkpoint that holds {@code lastStatusId} and the statuses emitted lately. */
    static FetcherHarness restored(URI server, String lastStatusId, java.util.Map<String, String> recentStatuses,
            UnaryOperator<MastodonSourceBuilder> more) {
        return new FetcherHarness(server, lastStatusId, recentStatuses, false, 1_000, more);
    }

    FetcherHarness(URI server, String lastStatusId, boolean fresh, int maxSleeps, UnaryOperator<MastodonSourceBuilder> more) {
        this(server, lastStatusId, java.util.Map.of(), fresh, maxSleeps, more);
    }

    FetcherHarness(URI server, String lastStatusId, java.util.Map<String, String> recentStatuses, boolean fresh,
            int maxSleeps, UnaryOperator<MastodonSourceBuilder> more) {
        clock = new RecordingClock(START, maxSleeps);
        MastodonSourceBuilder b = MastodonSource.builder()
                .server(server)
                .timeline(MastodonTimeline.hashtag("flink", false))
                .stallTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5))
                .clock(clock);
        MastodonSourceConfig config = more.apply(b).build().config();
        MastodonSplit split = new MastodonSplit(MastodonSplit.SPLIT_ID, lastStatusId, StatusIds.atMillis(START),
                recentStatuses);
        fetcher = new MastodonFetcher(config, split, fresh, sink(), metrics);
    }

    @Override
    protected MastodonFetcher loop() {
        return fetcher;
    }
}
