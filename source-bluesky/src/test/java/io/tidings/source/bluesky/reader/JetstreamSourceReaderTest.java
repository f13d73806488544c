package io.tidings.source.bluesky.reader;

import static io.tidings.source.bluesky.testing.FakeJetstream.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import io.tidings.source.common.testing.TestReaderContext;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import io.tidings.source.bluesky.testing.FakeJetstream;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.api.Test;

class JetstreamSourceReaderTest {
    static final long T0 = 1_725_911_162_000_000L;
    static final String DID = "did:plc:alice2kzc6l7uv3mk3wpqsgzn";

    private static SourceReader<RawRecord, JetstreamSplit> reader(FakeJetstream server) {
        return JetstreamSource.builder().endpoints(List.of(server.uri())).build()
                .createReader(new TestReaderContext());
    }

    private static void pollUntil(SourceReader<RawRecord, JetstreamSplit> reader, CollectingOutput<RawRecord> out, int n)
            throws Exception {
        out.pollUntil(reader, n, Duration.ofSeconds(20));
    }

    @Test
    void aRestoredSplitResumesFromItsCursorMinusTheReplayAndSkipsWhatItHadEmitted() throws Exception {
        String p1 = post(T0 + 1_000_000, DID, "3kfff0000001", "one", "en");
        String p2 = post(T0 + 2_000_000, DID, "3kfff0000002", "two", "en");
        String p3 = post(T0 + 3_000_000, DID, "3kfff0000003", "three", "en");
        JetstreamSplitSerializer serializer = new JetstreamSplitSerializer();
        byte[] checkpoint;
        try (FakeJetstream server = new FakeJetstream()) {
            server.publish(p1, p2);
            SourceReader<RawRecord, JetstreamSplit> reader = reader(server);
            reader.start();
            reader.addSplits(List.of(JetstreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            pollUntil(reader, out, 2);
            List<JetstreamSplit> state = reader.snapshotState(1L);
            assertThat(state).singleElement().satisfies(split -> {
                assertThat(split.lastTimeUs()).isEqualTo(T0 + 2_000_000);
                assertThat(split.hasStarted()).isTrue();
                assertThat(split.recentEvents()).hasSize(2); // what a replay may bring again
            });
            checkpoint = serializer.serialize(state.get(0));
            reader.close();
            assertThat(server.cursors()).containsExactly(-1L);
        }

        JetstreamSplit restored = serializer.deserialize(serializer.getVersion(), checkpoint);
        try (FakeJetstream server = new FakeJetstream()) {
            server.publish(p1, p2, p3);
            SourceReader<RawRecord, JetstreamSplit> reader = reader(server);
            reader.start();
            reader.addSplits(List.of(restored));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            pollUntil(reader, out, 1);
            Thread.sleep(200);
            reader.pollNext(out);
            assertThat(server.cursors()).containsExactly(T0 + 2_000_000 - 5_000_000);
            assertThat(out.records).extracting(r -> r.position).containsExactly("time_us " + (T0 + 3_000_000));
            assertThat(reader.snapshotState(2L).get(0).lastTimeUs()).isEqualTo(T0 + 3_000_000);
            reader.close();
        }
    }
}
