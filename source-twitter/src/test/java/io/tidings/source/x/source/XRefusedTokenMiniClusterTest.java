package io.tidings.source.x.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.tidings.records.RawRecord;
import io.tidings.source.x.reader.XSourceException;
import io.tidings.source.x.testing.FakeXServer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A refused bearer token (HTTP 401, or 403 for an app without access) on any endpoint the source
 * calls fails the job at once, whatever restart strategy it has: every attempt would get the same
 * answer. The cluster restarts failed jobs up to 5 times, so a retried failure would show as six
 * attempts at the fake server.
 */
class XRefusedTokenMiniClusterTest {
    private static final int RESTARTS = 5;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .setConfiguration(restartingConfiguration())
                    .build());

    private static Configuration restartingConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTARTS);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return conf;
    }

    /** The endpoint a job calls first: rule sync, the stream without rule sync, or recent search when polling. */
    enum Endpoint {
        RULES, STREAM, SEARCH;

        XStreamSourceBuilder configure(XStreamSourceBuilder builder) {
            return switch (this) {
                case RULES -> builder;
                case STREAM -> builder.syncRules(false);
                case SEARCH -> builder.mode(XSourceMode.POLL_RECENT_SEARCH).pollInterval(Duration.ofSeconds(1));
            };
        }
    }

    @ParameterizedTest(name = "HTTP {0} on {1}")
    @CsvSource({"401, RULES", "401, STREAM", "401, SEARCH", "403, RULES", "403, STREAM", "403, SEARCH"})
    void aRefusedTokenFailsTheJobAfterOneAttemptWithAMessageThatSaysWhatToCheck(int status, Endpoint endpoint)
            throws Exception {
        try (FakeXServer server = new FakeXServer()) {
            String token = FakeXServer.TOKEN;
            if (status == 401) {
                token = "a-token-x-does-not-know";
            } else {
                server.withoutApiAccess();
            }
            XStreamSource source = endpoint.configure(XStreamSource.builder()
                    .bearerToken(token)
                    .apiBase(server.uri())
                    .rules(List.of(XRule.of("acme", "acme")))
                    .requestTimeout(Duration.ofSeconds(5)))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromSource(source, WatermarkStrategy.<RawRecord>noWatermarks(), "x").sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("refused token");
            try {
                assertThatThrownBy(() -> job.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                        .rootCause()
                        .isInstanceOf(XSourceException.class)
                        .hasMessageStartingWith("X refused the bearer token (HTTP " + status)
                        .hasMessageContaining("bearer token given in code") // where it comes from: what to check
                        .hasMessageNotContaining(token);
            } finally {
                job.cancel().handle((ok, alreadyEnded) -> null).get(30, TimeUnit.SECONDS);
            }
            assertThat(server.requests()).as("one attempt, no restart").hasSize(1);
        }
    }
}
