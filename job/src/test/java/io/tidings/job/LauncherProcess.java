package io.tidings.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code bin/tidings} as its own JVM (the test classpath, the launcher's main class), for tests that kill or signal it. */
final class LauncherProcess {
    private LauncherProcess() {}

    /** How a run of {@code tidings} ended: its exit code and what it printed. */
    record Result(int exitCode, String output) {}

    /** Runs {@code tidings ARGS} to its end (at most 5 minutes), its output in {@code log}. */
    static Result run(Path log, String... args) throws IOException, InterruptedException {
        Process process = start(log, args);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("tidings " + String.join(" ", args) + " still running after 5 minutes; output in " + log);
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    /** Starts {@code tidings ARGS}, its output appended to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.tidings.job.cli.TidingsCli"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir")))
                .start();
    }
}
