package io.tidings.source.x.reader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

/** Runs an {@link XStreamFetcher} on its own thread against a fake server, collecting what it fetches. */
final class FetcherHarness implements AutoCloseable {
    static final long START = 1_800_000_000_000L;

    final List<XFetchedElement> out = Collections.synchronizedList(new ArrayList<>());
    final XReaderMetrics metrics = new XReaderMetrics();
    final RecordingClock clock;
    final XStreamFetcher fetcher;
    final XStreamSourceConfig config;
    private Thread thread;

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
        this.fetcher = new XStreamFetcher(config, client, split, freshSubscription, out::add, metrics);
    }

    FetcherHarness start() {
        thread = new Thread(fetcher, "test-fetcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Runs the loop on this thread until it ends (a fatal error, or the clock's last sleep). */
    void runToEnd() {
        fetcher.run();
        Thread.interrupted();
    }

    List<RawRecord> records() {
        synchronized (out) {
            return out.stream().filter(e -> e.record() != null).map(XFetchedElement::record).toList();
        }
    }

    List<String> positions() {
        return records().stream().map(r -> r.position).toList();
    }

    List<XFetchedElement> elements() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    FetcherHarness awaitRecords(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (records().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " records, got " + records() + "; failure "
                        + fetcher.failure());
            }
            Thread.sleep(10);
        }
        return this;
    }

    void join() throws InterruptedException {
        thread.join(15_000);
    }

    @Override
    public void close() {
        fetcher.stop();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
