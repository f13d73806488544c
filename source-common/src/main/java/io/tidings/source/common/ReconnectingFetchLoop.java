package io.tidings.source.common;

import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch loop every source runs: connect, read until the connection ends, back off, connect
 * again, until stopped or failed. Here is what does not depend on the platform, written once:
 * running and stopping (dropping the open connection so a blocked read returns), the first error
 * that ends the loop, the connection count and {@code reconnects}, the back-off wait through the
 * {@link SourceClock} with the {@code currentBackoffMs} and rate-limit gauges, and handing on a
 * record as it came (input the source cannot read goes downstream to be dead-lettered, not dropped).
 * A source says how one connection goes ({@link #connectAndRead}) and what it does before the
 * loop (rule sync) in {@link #fetch}.
 *
 * @param <E> what the loop puts into its {@link FetchSink}
 */
@Internal
public abstract class ReconnectingFetchLoop<E> implements FetchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingFetchLoop.class);

    /**
     * How a connection ended: why, and how long to wait before the next ({@code 0}: at once);
     * {@code rateLimitStatus} is the HTTP status (429) when the wait is a rate limit's, so that the
     * gauges say "rate-limited until …" rather than "reconnecting", else 0.
     */
    public record Disconnect(String reason, long waitMs, int rateLimitStatus) {
        public static Disconnect after(String reason, long waitMs) {
            return new Disconnect(reason, waitMs, 0);
        }
    }

    /** In log lines: what this loop reads, e.g. {@code X stream}, {@code Jetstream}. */
    protected final String name;
    protected final SourceClock clock;
    protected final FetchSink<E> sink;
    private final SourceReaderMetrics metrics;
    /** Whether its waits show in the back-off gauges (one loop per reader owns them). */
    private final boolean ownsBackoffGauge;

    private volatile boolean running = true;
    private volatile Runnable dropConnection;
    private volatile Throwable failure;
    private long connections;

    protected ReconnectingFetchLoop(String name, SourceClock clock, FetchSink<E> sink, SourceReaderMetrics metrics,
            boolean ownsBackoffGauge) {
        this.name = name;
        this.clock = clock;
        this.sink = sink;
        this.metrics = metrics;
        this.ownsBackoffGauge = ownsBackoffGauge;
    }

    /** The loop's work, {@link #reconnectLoop} at its heart; returns when stopped, throws when it cannot go on. */
    protected void fetch() throws Exception {
        reconnectLoop();
    }

    /**
     * Opens connection {@code connection} (the first is 1), reads it until it ends, drops it, and says
     * how it ended; throws when retrying cannot help (a refused token). While open, the connection is
     * registered with {@link #holdConnection} so that {@link #stop} can drop it.
     */
    protected abstract Disconnect connectAndRead(long connection) throws Exception;

    /** Added to the "stopped" log line, e.g. the position reached. */
    protected String stoppedAt() {
        return "";
    }

    @Override
    public final void run() {
        try {
            fetch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (running) {
                LOG.error("{} failed: {}", name, t.getMessage(), t);
                failure = t;
            }
        } finally {
            LOG.info("{} fetcher stopped{}", name, stoppedAt());
        }
    }

    @Override
    public final Throwable failure() {
        return failure;
    }

    @Override
    public final void stop() {
        running = false;
        Runnable drop = dropConnection;
        if (drop != null) {
            drop.run();
        }
    }

    protected final boolean running() {
        return running;
    }

    /** Registers how to drop the connection now open ({@link #stop} runs it); null when none is. */
    protected final void holdConnection(Runnable drop) {
        dropConnection = drop;
    }

    /** Connects, reads and reconnects until stopped, waiting as each {@link Disconnect} says. */
    protected final void reconnectLoop() throws Exception {
        while (running) {
            long connection = ++connections;
            if (connection > 1) {
                metrics.reconnects.incrementAndGet();
            }
            Disconnect end;
            try {
                end = connectAndRead(connection);
            } finally {
                holdConnection(null);
            }
            if (!running) {
                return;
            }
            LOG.info("{} disconnected: {}", name, end.reason());
            if (end.waitMs() > 0) {
                backOff(end.reason(), end.waitMs(), end.rateLimitStatus());
            } else {
                LOG.info("{} reconnecting at once (the connection had delivered data)", name);
            }
        }
    }

    /**
     * Waits {@code waitMs} before the next attempt, shown in the gauges (when this loop owns them):
     * {@code currentBackoffMs}, and with a {@code rateLimitStatus} other than 0 the rate limit's
     * end and that status.
     */
    protected final void backOff(String reason, long waitMs, int rateLimitStatus) throws InterruptedException {
        LOG.info("{} backing off {} ms ({})", name, waitMs, reason);
        if (ownsBackoffGauge) {
            metrics.currentBackoffMs.set(waitMs);
            if (rateLimitStatus != 0) {
                metrics.waitingForRateLimit(clock.nowMillis() + waitMs, rateLimitStatus);
            }
        }
        try {
            clock.sleep(waitMs);
        } finally {
            if (ownsBackoffGauge) {
                metrics.currentBackoffMs.set(0);
                metrics.rateLimitWaitOver();
            }
        }
    }

    /** Hands on an element; blocks while the reader's queue is full. */
    protected final void emit(E element) throws InterruptedException {
        sink.accept(element);
    }
}
