package io.tidings.source.mastodon.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.RawRecord;
import io.tidings.source.mastodon.testing.FakeMastodon;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The real source on a local MiniCluster against the fake server. */
class MastodonSourceMiniClusterTest {
    @Test
    void collectsTheStreamedStatusesThenCancels() throws Exception {
        long t0 = System.currentTimeMillis() + 1_000;
        try (FakeMastodon server = new FakeMastodon()) {
            List<String> expected = new ArrayList<>();
            FakeMastodon.Script script = server.nextConnection();
            for (int i = 0; i < 5; i++) {
                String status = FakeMastodon.status(FakeMastodon.idAt(t0 + i, 0), "alice", "post " + i, "flink");
                script.post(status);
                expected.add(FakeMastodon.update(status));
            }
            script.thenHang();
            MastodonSource source = MastodonSource.builder().server(URI.create(server.uri() + "/"))
                    .timeline(MastodonTimeline.hashtag("#flink", false)).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            List<RawRecord> got = env.fromSource(source, WatermarkStrategy.noWatermarks(), "mastodon")
                    .setParallelism(1)
                    .executeAndCollect(5);
            assertThat(got).extracting(r -> new String(r.bytes, StandardCharsets.UTF_8)).containsExactlyElementsOf(expected);
            assertThat(got).extracting(r -> r.source).containsOnly("mastodon:" + server.authority());
        }
    }
}
