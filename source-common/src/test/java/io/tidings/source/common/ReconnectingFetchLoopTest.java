package io.tidings.source.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import io.tidings.source.common.testing.RecordingClock;
import org.apache.flink.metrics.MetricGroup;
import org.junit.jupiter.api.Test;

/**
 * The loop's wait after each connection: the one back-off, started over by a connection that
 * delivered data, and no wait at all after one where the source reconnects at once (X).
 */
class ReconnectingFetchLoopTest {
    private static final Backoff.Policy NETWORK = Backoff.Policy.linear("network errors", 250, 16_000);
    private static final Backoff.Policy HTTP = Backoff.Policy.exponential("HTTP errors", 5_000, 320_000);
    private static final Backoff.Policy RATE_LIMIT = Backoff.Policy.exponential("HTTP 429", 60_000, 960_000)
            .asRateLimit();

    private static final class Metrics extends SourceReaderMetrics {
        @Override
        protected long newestMillis() {
            return -1;
        }

        @Override
        protected void registerMore(MetricGroup group) {}
    }

    /** One connection of the script: whether it delivers data, and how it ends. */
    private record Connection(boolean delivers, ReconnectingFetchLoop.Disconnect end) {}

    /** Plays its connections in order; the clock's last sleep ends it. */
    private static final class ScriptedLoop extends ReconnectingFetchLoop<String> {
        private final Deque<Connection> script;
        private final boolean atOnceAfterData;

        ScriptedLoop(RecordingClock clock, Metrics metrics, List<Connection> script, boolean atOnceAfterData) {
            super("scripted", clock, element -> {}, metrics, true);
            this.script = new ArrayDeque<>(script);
            this.atOnceAfterData = atOnceAfterData;
        }

        @Override
        protected boolean reconnectsAtOnceAfterData() {
            return atOnceAfterData;
        }

        @Override
        protected Disconnect connectAndRead(long connection) {
            Connection next = script.isEmpty() ? new Connection(false, Disconnect.failed("refused", HTTP))
                    : script.removeFirst();
            if (next.delivers()) {
                delivered();
            }
            return next.end();
        }
    }

    private static Connection fails(Backoff.Policy policy) {
        return new Connection(false, ReconnectingFetchLoop.Disconnect.failed("failed", policy));
    }

    private static List<String> run(RecordingClock clock, List<Connection> script) {
        return run(clock, script, false);
    }

    private static List<String> run(RecordingClock clock, List<Connection> script, boolean atOnceAfterData) {
        Metrics metrics = new Metrics();
        List<String> gauges = new ArrayList<>();
        clock.duringEachSleep(() -> gauges.add(metrics.currentBackoffMs.get()
                + (metrics.rateLimitedUntilMs.get() == 0 ? "" : " rate-limited "
                        + (metrics.rateLimitedUntilMs.get() - clock.nowMillis()) + " by " + metrics.rateLimitHttpStatus.get())));
        ScriptedLoop loop = new ScriptedLoop(clock, metrics, script, atOnceAfterData);
        loop.run();
        Thread.interrupted(); // the clock's last sleep interrupted the loop
        assertThat(loop.failure()).isNull();
        assertThat(metrics.currentBackoffMs.get()).isZero();
        return gauges;
    }

    @Test
    void aConnectionThatDeliveredDataStartsTheBackOffOver() {
        RecordingClock clock = new RecordingClock(0, 6);
        run(clock, List.of(fails(HTTP), fails(HTTP), fails(NETWORK),
                new Connection(true, ReconnectingFetchLoop.Disconnect.failed("dropped", NETWORK)),
                new Connection(true, ReconnectingFetchLoop.Disconnect.failed("closed", HTTP)),
                fails(HTTP), fails(NETWORK)));
        // 5 s, 10 s, 250 ms; after each connection with data the first step of its policy again
        assertThat(clock.sleeps()).containsExactly(5_000L, 10_000L, 250L, 250L, 5_000L, 10_000L);
    }

    @Test
    void whereTheSourceReconnectsAtOnceAConnectionThatDeliveredDataIsReplacedAtOnce() {
        RecordingClock clock = new RecordingClock(0, 6);
        run(clock, List.of(fails(HTTP), fails(HTTP), fails(NETWORK),
                new Connection(true, ReconnectingFetchLoop.Disconnect.failed("dropped", NETWORK)),
                new Connection(true, ReconnectingFetchLoop.Disconnect.failed("closed", HTTP)),
                fails(HTTP), fails(NETWORK)), true);
        // 5 s, 10 s, 250 ms; two connections with data: no wait, and HTTP and network start over
        assertThat(clock.sleeps()).containsExactly(5_000L, 10_000L, 250L, 5_000L, 250L, 10_000L);
    }

    @Test
    void aRateLimitsWaitIsTheLaterOfItsStepAndItsResetAndTheGaugesSaySoWhenTheWaitIsTheRateLimits() {
        RecordingClock clock = new RecordingClock(1_000_000, 5);
        List<String> gauges = run(clock, List.of(
                // a 429 whose reset is later than the step: the reset's wait, shown as a rate limit
                new Connection(false, new ReconnectingFetchLoop.Disconnect("429", HTTP, 90_000, 429)),
                // a 429 whose reset is sooner than the step: the step, a back-off
                new Connection(false, new ReconnectingFetchLoop.Disconnect("429", HTTP, 1_000, 429)),
                // X's 429 policy: its steps are a rate limit's, whatever the reset
                new Connection(false, new ReconnectingFetchLoop.Disconnect("429", RATE_LIMIT, 0, 429)),
                new Connection(false, new ReconnectingFetchLoop.Disconnect("429", RATE_LIMIT, 500_000, 429))));
        assertThat(clock.sleeps()).containsExactly(90_000L, 10_000L, 60_000L, 500_000L, 20_000L);
        assertThat(gauges).containsExactly("90000 rate-limited 90000 by 429", "10000",
                "60000 rate-limited 60000 by 429", "500000 rate-limited 500000 by 429", "20000");
    }
}
