package io.tidings.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code bin/tidings} as its own JVM (the test classpath, the launcher's main class), for tests that kill or signal it. */
final class LauncherProcess {
    private LauncherProcess() {}

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
