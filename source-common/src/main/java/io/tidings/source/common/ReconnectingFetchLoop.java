package io.tidings.source.common;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
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
 * A source says how one connection goes ({@link #connectAndRead}: how it ended, and which {@link
 * Backoff.Policy} the failure backs off by) and what it does before the loop (rule sync) in {@link
 * #fetch}; the loop turns that into the wait, with the one {@link Backoff}.
 *
 * <p>The rule after a connection that delivered data, the same for every source: the source calls
 * {@link #delivered} when the first data arrives, and the back-off starts over then; when that
 * connection ends, the next wait is the first step of its policy again. X alone reconnects at once
 * instead ({@link #reconnectsAtOnceAfterData}): X's documented rule ("reconnect immediately after an
 * established connection drops; if that fails, back off", docs.x.com,
 * fundamentals/handling-disconnections), which X's sources must follow exactly. Jetstream and
 * Mastodon document none, and keep the first step's pause (1 s) so a server that accepts, sends
 * something and drops every connection is not reconnected to in a tight loop.
 *
 * @param <E> what the loop puts into its {@link FetchSink}
 */
@Internal
public abstract class ReconnectingFetchLoop<E> implements FetchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingFetchLoop.class);

    /**
     * How a connection ended: why, and which {@link Backoff.Policy} the wait before the next follows
     * (null: stopped, no wait); the wait is that policy's next step, or {@code notBeforeMs} when that
     * is longer (a rate limit's reset). {@code rateLimitStatus} is the HTTP status (429) of a rate
     * limit, else 0: the gauges say "rate-limited until …" rather than "reconnecting" when the wait is
     * the rate limit's (the policy is a rate limit's, or the reset is at least as far as the step).
     * After a connection that {@link #delivered} data the back-off has started over: the wait is the
     * policy's first step (or none, where the source {@link #reconnectsAtOnceAfterData}).
     */
    public record Disconnect(String reason, Backoff.Policy policy, long notBeforeMs, int rateLimitStatus) {
        /** A failure that backs off by {@code policy}. */
        public static Disconnect failed(String reason, Backoff.Policy policy) {
            return new Disconnect(reason, policy, 0, 0);
        }

        /** Stopped while connecting: the loop ends, no wait. */
        public static Disconnect stopped() {
            return new Disconnect("stopped", null, 0, 0);
        }
    }

    /** What a source does with a WebSocket it opened (see {@link #overWebSocket}). */
    @FunctionalInterface
    protected interface WebSocketSession<T, X extends Exception> {
        T run(WebSocketConnection open) throws X, IOException, InterruptedException;
    }

    /** In log lines: what this loop reads, e.g. {@code X stream}, {@code Jetstream}. */
    protected final String name;
    protected final SourceClock clock;
    protected final FetchSink<E> sink;
    /** The back-off of this loop's failures; {@link #delivered} resets it, nothing else does. */
    private final Backoff backoff;
    private final SourceReaderMetrics metrics;
    /** Whether its waits show in the back-off gauges (one loop per reader owns them). */
    private final boolean ownsBackoffGauge;

    private volatile boolean running = true;
    private volatile Runnable dropConnection;
    private volatile Throwable failure;
    private long connections;
    /** Whether the connection now open delivered data (fetch thread only). */
    private boolean delivered;

    protected ReconnectingFetchLoop(String name, SourceClock clock, FetchSink<E> sink, SourceReaderMetrics metrics,
            boolean ownsBackoffGauge) {
        this.name = name;
        this.clock = clock;
        this.sink = sink;
        this.backoff = new Backoff(name);
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

    /**
     * The platform answered with data: the back-off starts over (the rule is in the class comment). Called by the source on
     * the fetch thread, at the first data of a connection (Jetstream, Mastodon: the first stream
     * message; X: the first bytes of an established stream, keep-alives included) or after a request
     * outside a connection succeeded (X's rule sync).
     */
    /**
     * Whether a connection that {@link #delivered} data is replaced at once when it ends (X's
     * documented rule), rather than after the first step of its policy (the default).
     */
    protected boolean reconnectsAtOnceAfterData() {
        return false;
    }

    protected final void delivered() {
        if (!delivered) {
            backoff.reset();
            delivered = true;
        }
    }

    /**
     * Opens a WebSocket, registers it so that {@link #stop} drops it, runs {@code session} on it, and
     * aborts it however the session ended. Returns null without running the session when the loop
     * was stopped while the socket opened.
     */
    protected final <T, X extends Exception> T overWebSocket(URI uri, Duration connectTimeout,
            Map<String, String> headers, WebSocketSession<T, X> session) throws X, IOException, InterruptedException {
        WebSocketConnection open = WebSocketConnection.open(uri, connectTimeout, headers);
        try {
            holdConnection(open::abort);
            if (!running) {
                return null;
            }
            return session.run(open);
        } finally {
            open.abort();
        }
    }

    /**
     * Connects, reads and reconnects until stopped, after the wait its {@link Disconnect} says (the
     * policy's first step after a connection that {@link #delivered} data, or none where the source
     * {@link #reconnectsAtOnceAfterData}).
     */
    protected final void reconnectLoop() throws Exception {
        while (running) {
            long connection = ++connections;
            if (connection > 1) {
                metrics.reconnects.incrementAndGet();
            }
            delivered = false;
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
            if (end.policy() == null) {
                continue;
            } else if (delivered && reconnectsAtOnceAfterData()) {
                LOG.info("{} reconnecting at once (the connection had delivered data)", name);
            } else {
                backOff(end);
            }
        }
    }

    /**
     * Waits as {@code end} says: its policy's next step, or until the rate limit's reset when that
     * is later; shown in the gauges. Also for failures outside a connection (X's rule sync).
     */
    protected final void backOff(Disconnect end) throws InterruptedException {
        long step = backoff.next(end.policy(), end.reason());
        long wait = Math.max(step, end.notBeforeMs());
        if (end.notBeforeMs() > step) {
            LOG.info("{} waits until the rate limit resets", name);
        }
        boolean rateLimitsWait = end.policy().rateLimit() || end.notBeforeMs() >= wait;
        backOff(end.reason(), wait, end.rateLimitStatus() != 0 && rateLimitsWait ? end.rateLimitStatus() : 0);
    }

    /**
     * Waits {@code waitMs} before the next attempt, shown in the gauges (when this loop owns them):
     * {@code currentBackoffMs}, and with a {@code rateLimitStatus} other than 0 the rate limit's
     * end and that status.
     */
    private void backOff(String reason, long waitMs, int rateLimitStatus) throws InterruptedException {
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
