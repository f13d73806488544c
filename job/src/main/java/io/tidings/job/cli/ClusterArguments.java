package io.tidings.job.cli;

import io.tidings.job.JobSettings;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The program arguments of the job jar on a Flink cluster: the same flags as {@code bin/tidings
 * run}, so a command tried locally moves to a cluster unchanged (e.g. {@code flink run
 * tidings-job-flink.jar --lake s3://bucket/lake s3://bucket/input/}).
 */
@Command(name = "tidings-job")
public final class ClusterArguments {
    @Mixin
    JobOptions job;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*")
    List<String> inputs;

    @CommandLine.Option(names = "--watch", paramLabel = "SECONDS")
    Long watchSeconds;

    public static JobSettings parse(String[] args) {
        ClusterArguments parsed = new ClusterArguments();
        new CommandLine(parsed).parseArgs(args);
        JobSettings settings = parsed.job.settings(parsed.inputs);
        if (parsed.watchSeconds != null) {
            settings.watchInterval = java.time.Duration.ofSeconds(parsed.watchSeconds);
        }
        return settings;
    }
}
