package io.tidings.source.bluesky.reader;

import static io.tidings.source.bluesky.testing.FakeJetstream.post;
import static io.tidings.source.bluesky.testing.FakeJetstream.restamped;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import io.tidings.source.bluesky.testing.FakeJetstream;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.source.common.testing.RecordingClock;
import io.tidings.source.common.testing.TestReaderContext;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.api.Test;

/**
 * What a (re)subscription brings: before the first event, the events since the subscription started
 * (the cursor is its start time, checkpointed too); after a fail-over, the other instance's replay,
 * whose stamps may be equal to or older than the cursor, without losing or repeating an event.
 */
class JetstreamReplayTest {
    /** When the subscription starts: the reader's clock at the start, epoch ms (a recording clock: waits take no time). */
    private static final long START = 1_725_911_162_000L;
    private static final long START_US = START * 1000;
    private static final String DID = "did:plc:alice2kzc6l7uv3mk3wpqsgzn";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SourceReader<RawRecord, JetstreamSplit> reader(List<URI> endpoints, RecordingClock clock) {
        return JetstreamSource.builder().endpoints(endpoints).clock(clock).build().createReader(new TestReaderContext());
    }

    private static String rkey(RawRecord record) {
        try {
            return JSON.readTree(record.bytes).path("commit").path("rkey").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Three posts from an hour before the subscription started: none may come. */
    private static void publishPostsFromBeforeTheStart(FakeJetstream jetstream) {
        for (int i = 0; i < 3; i++) {
            jetstream.publish(post(START_US - 3_600_000_000L + i, DID, "3kold000000" + i, "before " + i, "en"));
        }
    }

    /** {@code n} posts from the start on, {@code stepUs} apart; their rkeys. */
    private static List<String> publishPostsSinceTheStart(FakeJetstream jetstream, int n, long stepUs) {
        List<String> rkeys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String rkey = "3knew" + (1_000_000 + i);
            jetstream.publish(post(START_US + i * stepUs, DID, rkey, "since " + i, "en"));
            rkeys.add(rkey);
        }
        return rkeys;
    }

    @Test
    void aDropBeforeTheFirstEventResubscribesFromTheStartOfTheSubscription() throws Exception {
        RecordingClock clock = new RecordingClock(START, 100);
        try (FakeJetstream jetstream = new FakeJetstream().clock(clock::nowMillis)) {
            publishPostsFromBeforeTheStart(jetstream);
            // 50 posts in the first 5 s; the reconnect comes after a 1 s back-off
            List<String> expected = publishPostsSinceTheStart(jetstream, 50, 100_000);
            jetstream.nextConnection().thenDrop();
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(jetstream.uri()), clock);
            reader.start();
            reader.addSplits(List.of(JetstreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, expected.size(), TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(300));

            assertThat(out.records).extracting(JetstreamReplayTest::rkey).containsExactlyElementsOf(expected);
            // Live first, then from the start; on a slow machine a later reconnect (after events came)
            // may follow, from the newest event's time, which is no concern of this test.
            assertThat(jetstream.cursors()).as("live first, then from the start").startsWith(-1L, START_US);
            reader.close();
        }
    }

    @Test
    void aRestoreFromACheckpointTakenBeforeAnyEventResubscribesFromTheStartOfTheSubscription() throws Exception {
        JetstreamSplitSerializer serializer = new JetstreamSplitSerializer();
        byte[] checkpoint;
        try (FakeJetstream jetstream = new FakeJetstream()) {
            jetstream.nextConnection().thenHang(); // subscribed, nothing yet
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(jetstream.uri()), new RecordingClock(START, 100));
            reader.start();
            reader.addSplits(List.of(JetstreamSplit.fresh()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (jetstream.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(jetstream.requests()).hasSize(1);
            List<JetstreamSplit> state = reader.snapshotState(1L);
            assertThat(state).singleElement().satisfies(split -> assertThat(split.cursor()).isEmpty());
            checkpoint = serializer.serialize(state.get(0));
            reader.close();
        }

        // An hour later, the job restores that checkpoint: Jetstream has the posts of that hour.
        RecordingClock later = new RecordingClock(START + 3_600_000, 100);
        try (FakeJetstream jetstream = new FakeJetstream().clock(later::nowMillis)) {
            publishPostsFromBeforeTheStart(jetstream);
            List<String> expected = publishPostsSinceTheStart(jetstream, 50, 60_000_000);
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(jetstream.uri()), later);
            reader.start();
            reader.addSplits(List.of(serializer.deserialize(serializer.getVersion(), checkpoint)));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, expected.size(), TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(300));

            assertThat(out.records).extracting(JetstreamReplayTest::rkey).containsExactlyElementsOf(expected);
            assertThat(jetstream.cursors()).as("the restored split subscribes from the start").startsWith(START_US);
            reader.close();
        }
    }

    /**
     * Events e1..e5 as the first instance stamps them (two in the same microsecond), and the second
     * instance's log: the same events stamped 2 s earlier, then e6, e7, e8, which the first instance
     * never delivered, stamped before, at and after the first instance's last time_us.
     */
    private static final class TwoInstances {
        static final long T = START_US;
        final List<String> first = new ArrayList<>();
        final List<String> second = new ArrayList<>();
        final List<String> rkeys = new ArrayList<>();

        TwoInstances() {
            long[] firstStamps = {T + 1_000_000, T + 2_000_000, T + 3_000_000, T + 3_000_000, T + 4_000_000, T + 5_000_000};
            for (int i = 0; i < firstStamps.length; i++) {
                String rkey = "3kfail00000" + i;
                String event = post(firstStamps[i], DID, rkey, "event " + i, "en");
                first.add(event);
                second.add(restamped(event, firstStamps[i] - 2_000_000));
                rkeys.add(rkey);
            }
            long[] laterStamps = {T + 4_000_000, T + 5_000_000, T + 6_000_000};
            for (int i = 0; i < laterStamps.length; i++) {
                String rkey = "3kfail10000" + i;
                second.add(post(laterStamps[i], DID, rkey, "only on the second instance " + i, "en"));
                rkeys.add(rkey);
            }
        }
    }

    @Test
    void aFailOverReplayingEventsWithEqualOrOlderTimeUsLosesNoneAndRepeatsNone() throws Exception {
        TwoInstances events = new TwoInstances();
        try (FakeJetstream first = new FakeJetstream(); FakeJetstream second = new FakeJetstream()) {
            FakeJetstream.Script script = first.nextConnection();
            events.first.forEach(script::send);
            script.thenDrop();
            second.publish(events.second.toArray(new String[0])); // served from the cursor asked for
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(first.uri(), second.uri()),
                    new RecordingClock(START, 100));
            reader.start();
            reader.addSplits(List.of(JetstreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, events.rkeys.size(), TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(300));

            assertThat(out.records).extracting(JetstreamReplayTest::rkey).containsExactlyInAnyOrderElementsOf(events.rkeys);
            assertThat(second.requests()).hasSize(1);
            reader.close();
        }
    }

    @Test
    void aRestoreThatFailsOverToAnotherInstanceLosesNoneAndRepeatsNone() throws Exception {
        TwoInstances events = new TwoInstances();
        JetstreamSplitSerializer serializer = new JetstreamSplitSerializer();
        byte[] checkpoint;
        try (FakeJetstream first = new FakeJetstream()) {
            FakeJetstream.Script script = first.nextConnection();
            events.first.forEach(script::send);
            script.thenHang();
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(first.uri()), new RecordingClock(START, 100));
            reader.start();
            reader.addSplits(List.of(JetstreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, events.first.size(), TIMEOUT);
            checkpoint = serializer.serialize(reader.snapshotState(1L).get(0));
            reader.close();
        }

        // The restored job subscribes to the other instance, which replays with its own stamps.
        try (FakeJetstream second = new FakeJetstream()) {
            second.publish(events.second.toArray(new String[0]));
            SourceReader<RawRecord, JetstreamSplit> reader = reader(List.of(second.uri()), new RecordingClock(START, 100));
            reader.start();
            reader.addSplits(List.of(serializer.deserialize(serializer.getVersion(), checkpoint)));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            out.pollUntil(reader, 3, TIMEOUT);
            out.pollFor(reader, Duration.ofMillis(300));

            assertThat(out.records).extracting(JetstreamReplayTest::rkey)
                    .containsExactlyInAnyOrderElementsOf(events.rkeys.subList(events.first.size(), events.rkeys.size()));
            reader.close();
        }
    }
}
