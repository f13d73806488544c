package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python of the training venv, for tests that run {@code models/training} scripts ({@code make
 * test} installs the venv; {@code TIDINGS_TRAINING_VENV} overrides where it is). Without it a test
 * fails under {@code TIDINGS_REQUIRE_TOOLS=1} (CI) and is skipped otherwise.
 */
final class TrainingVenv {

    private TrainingVenv() {}

    /** The venv's python; fails or skips the calling test when it is missing (see above). */
    static Path python() {
        String venv = System.getenv().getOrDefault("TIDINGS_TRAINING_VENV",
                Paths.get(System.getProperty("user.home"), ".cache", "tidings", "training-venv").toString());
        Path python = Paths.get(venv, "bin", "python");
        boolean present = Files.isExecutable(python);
        if ("1".equals(System.getenv("TIDINGS_REQUIRE_TOOLS"))) {
            assertThat(present).as("training venv python at %s (TIDINGS_REQUIRE_TOOLS is set)", python).isTrue();
        }
        assumeTrue(present, "no training venv at " + venv + " (make test installs it)");
        return python;
    }

    /** A script's absolute path, given relative to the models module. */
    static String script(String pathInModule) {
        Path script = Paths.get(pathInModule).toAbsolutePath();
        assertThat(script).exists();
        return script.toString();
    }

    /** Starts the venv's python with these arguments, stderr merged into stdout. */
    static Process start(List<String> arguments) throws IOException {
        return start(List.of(), arguments);
    }

    /** Starts the venv's python under {@code wrapper} (e.g. an emulator and its options), stderr merged into stdout. */
    static Process start(List<String> wrapper, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(python().toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        return builder.start();
    }

    /** Runs python with these arguments and returns its output; fails the test when it fails. */
    static String run(List<String> arguments) throws IOException, InterruptedException {
        return run(List.of(), arguments);
    }

    /** Runs python under {@code wrapper} with these arguments and returns its output; fails the test when it fails. */
    static String run(List<String> wrapper, List<String> arguments) throws IOException, InterruptedException {
        Process process = start(wrapper, arguments);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("%s failed:%n%s", arguments, output).isZero();
        return output;
    }
}
