package io.tidings.kda;

import io.tidings.job.FaultTolerance;
import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import io.tidings.job.TidingsJob;
import io.tidings.job.cli.ClusterArguments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point on Amazon Managed Service for Apache Flink (the application jar's
 * Main-Class). Settings come from the runtime property group {@value ApplicationProperties#GROUP};
 * the service owns checkpointing, restarts and parallelism (unless the group sets
 * {@code parallelism}); an unbounded job is refused when the application's checkpointing is off
 * ({@link FaultTolerance#onManagedService}).
 *
 * <p>Run outside the service (no cluster to submit to), it reads the same groups from a local JSON
 * file, the first argument or {@value #LOCAL_PROPERTIES}, and runs on a local MiniCluster with the
 * launcher's checkpointing and restart settings.
 */
public final class ManagedFlinkJob {
    private ManagedFlinkJob() {}

    /** The local stand-in for the service's property groups. */
    public static final String LOCAL_PROPERTIES = "flink-application-properties-dev.json";

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (env instanceof LocalStreamEnvironment) {
            runLocally(Path.of(args.length > 0 ? args[0] : LOCAL_PROPERTIES));
            return;
        }
        Map<String, Properties> groups = ApplicationProperties.fromService();
        ClusterArguments.Parsed parsed = ApplicationProperties.parseOnService(groups);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        JobSettings settings = FaultTolerance.onManagedService(checkpoints.isCheckpointingEnabled()
                ? Duration.ofMillis(checkpoints.getCheckpointInterval()) : null, parsed.settings(), parsed.given());
        if (ApplicationProperties.setsParallelism(groups)) {
            env.setParallelism(settings.parallelism());
        }
        TidingsJob.build(env, settings);
        env.execute("tidings");
    }

    /** Runs the job on a local MiniCluster with settings from a property groups JSON file. */
    public static LocalRunner.Summary runLocally(Path propertyGroups) throws Exception {
        JobSettings settings = ApplicationProperties.settings(ApplicationProperties.fromFile(propertyGroups));
        System.err.printf("tidings (Managed Flink entry point, local): %s → %s%n", settings.files(), settings.lake());
        LocalRunner.Summary summary = new LocalRunner(settings, System.err).run();
        System.err.println("tidings: " + summary);
        return summary;
    }
}
