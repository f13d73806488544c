package io.tidings.kda;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import io.tidings.job.JobSettings;
import io.tidings.job.cli.ClusterArguments;
import io.tidings.job.cli.ConfigFileArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The job's settings from Managed Flink's runtime property groups. The group {@value #GROUP} holds
 * the long option names of {@code bin/tidings run} as keys ({@code lake}, {@code parallelism},
 * {@code x-rule}, {@code model}, ...) and {@code inputs} for files to read; they go through the
 * cluster entry point's own parser ({@link ClusterArguments}), so a key means exactly what the
 * flag means.
 *
 * <p>On the service the groups come from {@link KinesisAnalyticsRuntime#getApplicationProperties()};
 * locally from a JSON file shaped like the service's {@code PropertyGroups}, read by the same
 * library: {@code [{"PropertyGroupId": "TidingsJob", "PropertyMap": {"lake": "lake"}}]}.
 */
public final class ApplicationProperties {
    private ApplicationProperties() {}

    /** The property group with the job's options. */
    public static final String GROUP = "TidingsJob";

    /** The service's property groups (only on Managed Flink). */
    public static Map<String, Properties> fromService() throws IOException {
        return KinesisAnalyticsRuntime.getApplicationProperties();
    }

    /** Property groups from a local JSON file shaped like Managed Flink's {@code PropertyGroups}. */
    public static Map<String, Properties> fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no property groups file: " + file);
        }
        return KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
    }

    /** The job's settings from the {@value #GROUP} group. */
    public static JobSettings settings(Map<String, Properties> groups) {
        return parse(groups).settings();
    }

    /** The job's settings from the {@value #GROUP} group, and which checkpoint options it named. */
    public static ClusterArguments.Parsed parse(Map<String, Properties> groups) {
        Properties job = groups.get(GROUP);
        if (job == null) {
            throw new IllegalArgumentException("no property group '" + GROUP + "' (groups: " + groups.keySet() + ")");
        }
        return ClusterArguments.parseWithGiven(ConfigFileArguments.fromProperties(job));
    }

    /** Whether the group sets the parallelism; otherwise the service's application parallelism applies. */
    public static boolean setsParallelism(Map<String, Properties> groups) {
        Properties job = groups.get(GROUP);
        return job != null && job.getProperty("parallelism") != null;
    }
}
