package io.tidings.source.x.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import io.tidings.records.RawRecord;
import io.tidings.source.common.testing.LiveSourceExternalContext;
import io.tidings.source.common.testing.LiveSourceTestSuite;
import io.tidings.source.common.testing.MappedSource;
import io.tidings.source.x.testing.FakeXServer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.environment.ClusterControllable;
import org.apache.flink.connector.testframe.environment.TestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * Flink's connector testing framework for the X source, against a {@link FakeXServer} whose stream
 * sends what is posted while it is open. A record is compared by its position ({@code tweet <id>}): the
 * stream and recent search shape the same post differently.
 *
 * <p>Beyond the bounded cases {@link LiveSourceTestSuite} leaves out for every live source, the restart
 * cases cannot apply to X, and are overridden here by plain methods (not tests), for this reason: after a restart (savepoint, rescale,
 * TaskManager failure) the X source catches up by recent search, which X answers newest first, and which
 * can overlap what the new stream connection already sends; the source emits both and leaves order and
 * repeats to the job's de-duplication by post id (see the README), while these cases require one
 * split's records in order and exactly once at the source. X's restore is checked instead by
 * {@code XStreamSourceReaderTest} (the gap fill since the checkpointed id) and the job's kill-and-resume
 * tests. What runs: the source metrics ({@code numRecordsIn}) at parallelism 4, the one split on one
 * reader.
 *
 * <p>Posts written before a stream connection is open are held until one is ({@link
 * LiveSourceExternalContext}).
 */
class XStreamSourceSuiteTest extends LiveSourceTestSuite {
    private static final String CATCH_UP = "X catches up after a restart by recent search: newest first, and it may "
            + "overlap the stream; order and repeats are the job's de-duplication's (see the class javadoc)";

    @TestContext
    final ExternalContextFactory<Context> x = testName -> new Context();

    @Override
    public void testSavepoint(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}

    @Override
    public void testScaleUp(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}

    @Override
    public void testScaleDown(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}

    @Override
    public void testTaskManagerFailure(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            ClusterControllable controller, CheckpointingMode semantic) {}

    static String position(RawRecord record) {
        return record.position;
    }

    /** A {@link FakeXServer} per case; posts with ids in the order posted. */
    static final class Context extends LiveSourceExternalContext {
        private final FakeXServer server;
        private final AtomicLong nextId = new AtomicLong(1_861_234_567_000_000_000L);

        Context() {
            try {
                server = new FakeXServer().following();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        protected Source<String, ?, ?> createLiveSource() {
            XStreamSource source = XStreamSource.builder()
                    .bearerToken(FakeXServer.TOKEN)
                    .apiBase(server.uri())
                    .rule("cats", "cats")
                    .build();
            return new MappedSource<>(source, XStreamSourceSuiteTest::position, Types.STRING);
        }

        @Override
        protected void publish(List<String> records) {
            for (String position : records) {
                server.publish(position.substring("tweet ".length()), "cats " + position, "cats");
            }
        }

        @Override
        protected boolean listening() {
            return server.liveStreams() > 0;
        }

        /** The positions the posts will have: {@code tweet <id>}, ids increasing. */
        @Override
        public List<String> generateTestData(TestingSourceSettings settings, int splitIndex, long seed) {
            int n = 10 + new Random(seed).nextInt(20);
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                positions.add("tweet " + nextId.incrementAndGet());
            }
            return positions;
        }

        @Override
        protected void closeServer() {
            server.close();
        }
    }
}
