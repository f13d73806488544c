package io.tidings.source.x.source;

import static io.tidings.source.x.testing.FakeXServer.tweet;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.tidings.records.RawRecord;
import io.tidings.source.x.testing.FakeXServer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The real source on a local MiniCluster against the fake X server. */
class XStreamSourceMiniClusterTest {
    @Test
    void collectsTheServedPostsThenCancels() throws Exception {
        try (FakeXServer server = new FakeXServer()) {
            server.holdsRule("9", "stale", "stale");
            List<String> served = new ArrayList<>();
            FakeXServer.StreamScript stream = server.nextStream().keepAlive();
            for (int i = 0; i < 5; i++) {
                String t = tweet(String.valueOf(1861234567900L + i), "post " + i, "cats");
                served.add(t);
                stream.line(t);
            }
            stream.thenHang();
            XStreamSource source = XStreamSource.builder()
                    .bearerToken(FakeXServer.TOKEN)
                    .apiBase(server.uri())
                    .rules(List.of(XRule.of("cats", "cats")))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            List<RawRecord> got = env.fromSource(source, WatermarkStrategy.noWatermarks(), "x-stream")
                    .setParallelism(1)
                    .executeAndCollect(5);
            assertThat(got).extracting(r -> new String(r.bytes, StandardCharsets.UTF_8)).containsExactlyElementsOf(served);
            assertThat(got).extracting(r -> r.source).containsOnly("x-stream");
            assertThat(got.get(0).matchedRules).containsExactly("cats");
            assertThat(server.rulesByValue()).containsOnlyKeys("cats");
        }
    }
}
