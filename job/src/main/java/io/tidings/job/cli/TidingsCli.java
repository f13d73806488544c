package io.tidings.job.cli;

import java.io.PrintWriter;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tidings}: the launcher for local use. */
@Command(name = "tidings", mixinStandardHelpOptions = true, version = "tidings 0.1.0",
        description = "Social media analysis as an Apache Flink job: posts → language, sentiment, entities → Parquet lake → SQL.",
        subcommands = {DemoCommand.class, RunCommand.class, ServeCommand.class, ImportCommand.class, RescoreCommand.class, QueryCommand.class,
                AthenaCommand.class, DeadLettersCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public class TidingsCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (System.console() != null) {
            // The progress line is rewritten in place there: a warning from the log must not stick to it.
            System.setErr(new io.tidings.job.progress.TerminalErr(System.err));
        }
        System.exit(execute(args, new PrintWriter(System.err, true)));
    }

    /** Runs the command {@code args} name; usage errors go to {@code err}. Returns the exit code. */
    static int execute(String[] args, PrintWriter err) {
        CommandLine cli = new CommandLine(new TidingsCli());
        cli.setErr(err);
        // A flag on the command line may override the same flag from --config.
        cli.setOverwrittenOptionsAllowed(true);
        try {
            args = ConfigFileArguments.expand(args);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("tidings: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        // A mistyped value (-p abc) or an unknown option: the one line that says so and where the
        // options are listed, not the ~120 lines of usage picocli prints by default, which push
        // the line off the screen.
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("tidings: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
            command.getErr().println("(see bin/tidings" + (command == cli ? "" : " " + command.getCommandName()) + " --help)");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("tidings: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            return failed(e);
        });
        return cli.execute(args);
    }

    /**
     * The whole trace goes to the log file; the terminal's last line is the root cause, so a
     * person sees "X refused the bearer token" rather than Flink's JobExecutionException.
     */
    static int failed(Exception e) {
        LoggerFactory.getLogger(TidingsCli.class).error("tidings failed", e);
        Throwable root = rootCause(e);
        boolean notRetryable = ThrowableClassifier.findThrowableOfThrowableType(e, ThrowableType.NonRecoverableError).isPresent();
        String log = System.getProperty("tidings.log");
        System.err.println("tidings: failed" + (notRetryable ? " (not retried: no retry can fix this)" : "")
                + (log == null ? "" : "; details in " + log));
        System.err.println("tidings: " + (root.getMessage() == null ? root.toString() : root.getMessage()));
        return notRetryable ? ExitCodes.NOT_RETRYABLE : ExitCodes.FAILED;
    }

    /** The innermost cause: what actually went wrong, under Flink's wrappers. */
    static Throwable rootCause(Throwable e) {
        Throwable root = e;
        java.util.Set<Throwable> seen = new java.util.HashSet<>();
        while (root.getCause() != null && root.getCause() != root && seen.add(root)) {
            root = root.getCause();
        }
        return root;
    }
}
