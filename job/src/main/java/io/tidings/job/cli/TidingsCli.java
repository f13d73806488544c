package io.tidings.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tidings}: the launcher for local use. */
@Command(name = "tidings", mixinStandardHelpOptions = true, version = "tidings 0.1.0",
        description = "Social media analysis as an Apache Flink job: posts → language, sentiment, entities → Parquet lake → SQL.",
        subcommands = {DemoCommand.class, RunCommand.class, ServeCommand.class, ImportCommand.class, QueryCommand.class,
                AthenaCommand.class, DeadLettersCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public class TidingsCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TidingsCli());
        // A flag on the command line may override the same flag from --config.
        cli.setOverwrittenOptionsAllowed(true);
        try {
            args = ConfigFileArguments.expand(args);
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("tidings: " + e.getMessage());
            System.exit(ExitCodes.USAGE);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                System.err.println("tidings: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            System.err.println("tidings: failed: " + e);
            e.printStackTrace(System.err);
            return ExitCodes.FAILED;
        });
        System.exit(cli.execute(args));
    }
}
