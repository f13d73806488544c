package io.tidings.source.bluesky.reader;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.bluesky.source.JetstreamSourceBuilder;
import io.tidings.source.bluesky.source.JetstreamSourceConfig;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.common.testing.RecordingClock;

/** Runs a {@link JetstreamFetcher} on its own thread against fake servers, collecting what it fetches. */
final class FetcherHarness implements AutoCloseable {
    /** When the clock starts and the subscription started (epoch ms): the tests' first events come after it. */
    static final long START = 1_725_911_162_000L;

    final List<JetstreamFetchedElement> out = Collections.synchronizedList(new ArrayList<>());
    final JetstreamReaderMetrics metrics = new JetstreamReaderMetrics();
    final RecordingClock clock = new RecordingClock(START, 1_000);
    final JetstreamFetcher fetcher;
    final JetstreamSourceConfig config;
    private Thread thread;

    /** A fetcher going on after {@code startAfterTimeUs}, or, with -1, of a subscription that starts at {@link #START}. */
    FetcherHarness(List<URI> endpoints, long startAfterTimeUs, UnaryOperator<JetstreamSourceBuilder> more) {
        JetstreamSourceBuilder b = JetstreamSource.builder()
                .endpoints(endpoints)
                .stallTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5))
                .clock(clock);
        this.config = more.apply(b).build().config();
        JetstreamSplit split = new JetstreamSplit(JetstreamSplit.SPLIT_ID, startAfterTimeUs, START * 1000, Map.of());
        this.fetcher = new JetstreamFetcher(config, split, startAfterTimeUs < 0, out::add, metrics);
    }

    FetcherHarness start() {
        thread = new Thread(fetcher, "test-fetcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    List<RawRecord> records() {
        synchronized (out) {
            return out.stream().filter(e -> e.record() != null).map(JetstreamFetchedElement::record).toList();
        }
    }

    List<JetstreamFetchedElement> elements() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    FetcherHarness awaitRecords(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (records().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " records, got " + records() + "; failure "
                        + fetcher.failure());
            }
            Thread.sleep(10);
        }
        return this;
    }

    /** Waits until {@code n} elements (records and cursor moves) arrived. */
    FetcherHarness awaitElements(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (elements().size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " elements, got " + elements());
            }
            Thread.sleep(10);
        }
        return this;
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
