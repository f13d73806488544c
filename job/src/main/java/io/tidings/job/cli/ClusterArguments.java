package io.tidings.job.cli;

import io.tidings.job.FaultTolerance;
import io.tidings.job.JobSettings;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The program arguments of the job jar on a Flink cluster: the same flags as {@code bin/tidings
 * run}, so a command tried locally moves to a cluster unchanged (e.g. {@code flink run
 * tidings-job-flink.jar --lake s3://bucket/lake s3://bucket/input/}). {@code --resume} is the one
 * exception: a cluster restores checkpoints itself ({@code flink run -s CHECKPOINT}).
 */
@Command(name = "tidings-job")
public final class ClusterArguments {
    @Mixin
    JobOptions job;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*")
    List<String> inputs;

    @CommandLine.Option(names = "--watch", paramLabel = "SECONDS")
    Long watchSeconds;

    /**
     * The settings, and which checkpoint options the arguments named: those win over the
     * cluster's configuration, the others give way to it ({@link FaultTolerance#onCluster}).
     */
    public record Parsed(JobSettings settings, Set<String> given) {}

    public static JobSettings parse(String[] args) {
        return parseWithGiven(args).settings();
    }

    public static Parsed parseWithGiven(String[] args) {
        ClusterArguments parsed = new ClusterArguments();
        CommandLine.ParseResult result = new CommandLine(parsed).parseArgs(args);
        if (result.hasMatchedOption("--resume")) {
            throw new IllegalArgumentException("--resume is for bin/tidings run: on a cluster, Flink restores the job's"
                    + " retained checkpoints after a failure itself, and a new submission resumes with"
                    + " flink run -s CHECKPOINT-OR-SAVEPOINT");
        }
        JobSettings settings = parsed.job.settings(parsed.inputs)
                .watchInterval(parsed.watchSeconds == null ? null : java.time.Duration.ofSeconds(parsed.watchSeconds))
                .build();
        Set<String> given = Stream.of(FaultTolerance.CHECKPOINT_DIR_OPTION, FaultTolerance.CHECKPOINT_INTERVAL_OPTION)
                .filter(result::hasMatchedOption).collect(Collectors.toSet());
        return new Parsed(settings, given);
    }
}
