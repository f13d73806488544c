package io.tidings.source.common.testing;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.environment.TestEnvironment;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Timeout;

/**
 * Flink's connector testing framework ({@link SourceTestSuiteBase}) for a live, unbounded, single-split
 * source on a MiniCluster, with exactly-once semantics, as the Kafka connector runs it. A source's
 * suite extends this and names its {@code @TestContext}: a {@link LiveSourceExternalContext} over the
 * source's fake server.
 *
 * <p>The cases that apply, and run: restarting from a savepoint (the same, a higher and a lower
 * parallelism: the one split goes to whichever reader gets it, the others stay idle; what was
 * published while the job was down comes by the source's own catch-up, replay or gap fill), the
 * source metrics ({@code numRecordsIn}), and a TaskManager failure (the job restores from a checkpoint
 * and goes on from the split's position).
 *
 * <p>The cases that cannot apply are overridden here by plain methods (no {@code @TestTemplate}), so
 * JUnit does not run them at all rather than reporting them skipped: those that need a <b>bounded</b> source ({@code testSourceSingleSplit}, {@code testMultipleSplits},
 * {@code testIdleReader}): they wait for the job to finish when the data is read, and a live source
 * reads a platform's stream, which has no end. What they check otherwise is checked by the cases above
 * (one split's records in order: the savepoint and failure cases; idle readers: the parallelism-4 cases,
 * where three readers have no split).
 *
 * <p>Each case has 3 minutes: the framework waits for the expected records without a limit of its own
 * (it relies on a global test timeout), so a source that loses or repeats records would hang the build.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class LiveSourceTestSuite extends SourceTestSuiteBase<String> {
    private static final String UNBOUNDED = "needs a bounded source; a live source reads a stream with no end "
            + "(see the class javadoc)";

    @TestEnv
    protected final MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestSemantics
    protected final CheckpointingMode[] semantics = {CheckpointingMode.EXACTLY_ONCE};

    @Override
    public void testSourceSingleSplit(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}

    @Override
    public void testMultipleSplits(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}

    @Override
    public void testIdleReader(TestEnvironment testEnv, DataStreamSourceExternalContext<String> externalContext,
            CheckpointingMode semantic) {}
}
