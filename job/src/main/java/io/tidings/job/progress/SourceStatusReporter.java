package io.tidings.job.progress;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter of local runs that keeps the live sources' connection metrics ({@code
 * received}, {@code reconnects}, {@code currentBackoffMs}, {@code lagMs}, {@code rateLimitedUntilMs},
 * {@code rateLimitHttpStatus}, which every tidings source reader registers) where the launcher's
 * progress line can read them: in this JVM, by job. Flink
 * creates it in the MiniCluster ({@link #configure}); nothing of it reaches a cluster.
 */
public final class SourceStatusReporter implements MetricReporter {
    /** The reporter's name in Flink's configuration ({@code metrics.reporter.NAME.factory.class}). */
    static final String NAME = "tidings-progress";
    private static final java.util.Set<String> KEPT = java.util.Set.of("received", "reconnects", "currentBackoffMs", "lagMs",
            "rateLimitedUntilMs", "rateLimitHttpStatus");

    /** job id → source operator name → metric name → metric. */
    private static final Map<String, Map<String, Map<String, Metric>>> BY_JOB = new ConcurrentHashMap<>();

    /** Adds this reporter to a local run's configuration. */
    public static void configure(org.apache.flink.configuration.Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** The live sources of a job and their state now, in the order they were registered. */
    public static java.util.List<SourceStatus> of(String jobId) {
        Map<String, Map<String, Metric>> sources = BY_JOB.getOrDefault(jobId, Map.of());
        java.util.List<SourceStatus> statuses = new java.util.ArrayList<>();
        new java.util.TreeMap<>(sources).forEach((source, metrics) -> statuses.add(new SourceStatus(source,
                value(metrics.get("received")), value(metrics.get("reconnects")),
                value(metrics.get("currentBackoffMs")), value(metrics.get("lagMs")),
                value(metrics.get("rateLimitedUntilMs")), value(metrics.get("rateLimitHttpStatus")))));
        return statuses;
    }

    /** Forgets a job that ended. */
    public static void forget(String jobId) {
        BY_JOB.remove(jobId);
    }

    private static long value(Metric metric) {
        if (metric instanceof Counter counter) {
            return counter.getCount();
        }
        if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number number) {
            return number.longValue();
        }
        return 0;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!KEPT.contains(name)) {
            return;
        }
        Map<String, String> variables = group.getAllVariables();
        String job = variables.get("<job_id>");
        String operator = variables.get("<operator_name>");
        if (job == null || operator == null) {
            return;
        }
        // Flink names a source's operator "Source: NAME".
        operator = operator.startsWith("Source: ") ? operator.substring("Source: ".length()) : operator;
        BY_JOB.computeIfAbsent(job, j -> new ConcurrentHashMap<>())
                .computeIfAbsent(operator, o -> new ConcurrentHashMap<>()).put(name, metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept until the job is forgotten: a restarting source re-registers its metrics, and the
        // progress line should not lose the source in between.
    }

    /** Flink makes reporters through factories named in its configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceStatusReporter();
        }
    }
}
