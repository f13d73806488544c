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

    /**
     * {@link #parse}, for the service: there the group must name the lake as a URI of a shared file
     * system ({@code s3a://bucket/lake}). The launcher's default, the relative folder {@code lake},
     * would be a folder on each TaskManager's local disk, lost with it, and no {@code file:} path is
     * shared either; that is said with the group's other problems.
     */
    public static ClusterArguments.Parsed parseOnService(Map<String, Properties> groups) {
        Properties job = groups.get(GROUP);
        String lakeProblem = job == null ? null : lakeProblemOnService(job.getProperty("lake"));
        ClusterArguments.Parsed parsed;
        try {
            parsed = parse(groups);
        } catch (IllegalArgumentException e) {
            if (lakeProblem == null) {
                throw e;
            }
            throw new IllegalArgumentException(lakeProblem + "\n" + e.getMessage(), e);
        }
        if (lakeProblem != null) {
            throw new IllegalArgumentException(lakeProblem);
        }
        return parsed;
    }

    private static String lakeProblemOnService(String lake) {
        if (lake == null || lake.isBlank()) {
            return "no lake: on Managed Flink the group " + GROUP + " must give lake=s3a://bucket/prefix (without it the"
                    + " job would write to a folder on a TaskManager's local disk)";
        }
        String uri = lake.trim();
        if (!uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.+") || uri.regionMatches(true, 0, "file:", 0, 5)) {
            return "lake=" + uri + ": on Managed Flink the lake must be a URI of a shared file system such as"
                    + " s3a://bucket/prefix, not a path on a TaskManager's local disk";
        }
        return null;
    }

    /** Whether the group sets the parallelism; otherwise the service's application parallelism applies. */
    public static boolean setsParallelism(Map<String, Properties> groups) {
        Properties job = groups.get(GROUP);
        return job != null && job.getProperty("parallelism") != null;
    }
}
