package io.tidings.kda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a command-line tool a test runs: the path in an environment variable, the virtual
 * environment {@code .ci/run} installs under {@code ~/.cache/tidings/}, or the PATH.
 */
final class Tools {
    private Tools() {}

    /** Whether a missing tool fails the test ({@code TIDINGS_REQUIRE_TOOLS=1}, set by CI) rather than skipping it. */
    static boolean required() {
        return "1".equals(System.getenv("TIDINGS_REQUIRE_TOOLS"));
    }

    static Optional<Path> find(String command, String environmentVariable, String venv) {
        String explicit = System.getenv(environmentVariable);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        Path inVenv = Path.of(System.getProperty("user.home"), ".cache", "tidings", venv, "bin", command);
        if (Files.isExecutable(inVenv)) {
            return Optional.of(inVenv);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable).findFirst();
    }
}
