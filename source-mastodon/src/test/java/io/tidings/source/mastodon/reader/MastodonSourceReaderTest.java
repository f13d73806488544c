package io.tidings.source.mastodon.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.RawRecord;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.source.common.testing.TestReaderContext;
import io.tidings.source.mastodon.source.MastodonSource;
import io.tidings.source.mastodon.source.MastodonTimeline;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.MastodonSplitSerializer;
import io.tidings.source.mastodon.testing.FakeMastodon;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.api.Test;

class MastodonSourceReaderTest {
    private static SourceReader<RawRecord, MastodonSplit> reader(FakeMastodon server) {
        return MastodonSource.builder().server(server.uri()).timeline(MastodonTimeline.publicTimeline(true)).build()
                .createReader(new TestReaderContext());
    }

    @Test
    void theCheckpointHoldsTheNewestStatusEmittedAndWhatToRecheckAndARestoreFillsTheGapAndRechecks() throws Exception {
        long t0 = System.currentTimeMillis() + 1_000;
        String s1 = FakeMastodon.status(FakeMastodon.idAt(t0, 0), "alice", "one");
        String s2 = FakeMastodon.status(FakeMastodon.idAt(t0 + 1, 0), "alice", "two");
        String s3 = FakeMastodon.status(FakeMastodon.idAt(t0 + 2, 0), "alice", "three");
        MastodonSplitSerializer serializer = new MastodonSplitSerializer();
        byte[] checkpoint;
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().post(s1).post(s2).send(FakeMastodon.delete(FakeMastodon.idOf(s1))).thenHang();
            SourceReader<RawRecord, MastodonSplit> reader = reader(server);
            reader.start();
            reader.addSplits(List.of(MastodonSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, 3, Duration.ofSeconds(20));
            List<MastodonSplit> state = reader.snapshotState(1L);
            assertThat(state).singleElement().satisfies(split -> {
                assertThat(split.lastStatusId()).isEqualTo(FakeMastodon.idOf(s2));
                assertThat(split.hasStarted()).isTrue();
                assertThat(split.recentStatuses()).as("s1's deletion was emitted: only s2 is left to recheck")
                        .containsExactly(java.util.Map.entry(FakeMastodon.idOf(s2), ""));
            });
            checkpoint = serializer.serialize(state.get(0));
            reader.close();
            assertThat(server.streamingRequests()).containsExactly("GET /api/v1/streaming?stream=public:local HTTP/1.1");
        }

        MastodonSplit restored = serializer.deserialize(serializer.getVersion(), checkpoint);
        try (FakeMastodon server = new FakeMastodon()) {
            // s2 was deleted after the checkpoint: the event went to the reader that is gone.
            server.publishQuietly(s1, s3);
            SourceReader<RawRecord, MastodonSplit> reader = reader(server);
            reader.start();
            reader.addSplits(List.of(restored));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, 2, Duration.ofSeconds(20));
            out.pollFor(reader, Duration.ofMillis(300));
            assertThat(server.timelineRequests().get(0))
                    .isEqualTo("GET /api/v1/timelines/public?local=true&limit=40&min_id=" + FakeMastodon.idOf(s2) + " HTTP/1.1");
            assertThat(out.records).extracting(r -> r.position).containsExactly("timeline status " + FakeMastodon.idOf(s3),
                    "recheck: status " + FakeMastodon.idOf(s2) + " gone");
            MastodonSplit after = reader.snapshotState(2L).get(0);
            assertThat(after.lastStatusId()).isEqualTo(FakeMastodon.idOf(s3));
            assertThat(after.recentStatuses()).as("s2's tombstone emitted, s3 to recheck")
                    .containsOnlyKeys(FakeMastodon.idOf(s3));
            reader.close();
        }
    }
}
