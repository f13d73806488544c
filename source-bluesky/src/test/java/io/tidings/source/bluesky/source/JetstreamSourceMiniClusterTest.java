package io.tidings.source.bluesky.source;

import static io.tidings.source.bluesky.testing.FakeJetstream.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.testing.FakeJetstream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The real source on a local MiniCluster against the fake Jetstream. */
class JetstreamSourceMiniClusterTest {
    @Test
    void collectsTheMatchingPostsThenCancels() throws Exception {
        long t0 = 1_725_911_162_000_000L;
        try (FakeJetstream server = new FakeJetstream()) {
            List<String> wanted = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String p = post(t0 + i * 1_000L, "did:plc:alice2kzc6l7uv3mk3wpqsgzn", "3kggg00000" + (10 + i),
                        (i % 2 == 0 ? "a cat, post " : "a dog, post ") + i, "en");
                server.publish(p);
                if (i % 2 == 0) {
                    wanted.add(p);
                }
            }
            JetstreamSource source = JetstreamSource.builder()
                    .endpoints(List.of(server.uri()))
                    .keywords(Map.of("cats", List.of("cat")))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            List<RawRecord> got = env.fromSource(source, WatermarkStrategy.noWatermarks(), "bluesky-jetstream")
                    .setParallelism(1)
                    .executeAndCollect(5);
            assertThat(got).extracting(r -> new String(r.bytes, StandardCharsets.UTF_8)).containsExactlyElementsOf(wanted);
            assertThat(got).extracting(r -> r.source).containsOnly("bluesky-jetstream:" + server.authority());
            assertThat(got).allSatisfy(r -> assertThat(r.matchedRules).containsExactly("cats"));
        }
    }
}
