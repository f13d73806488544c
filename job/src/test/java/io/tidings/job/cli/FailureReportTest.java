package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.source.x.testing.FakeXServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees when a run cannot work: a launcher JVM of its own, its terminal output read
 * back. Problems that can be seen before the cluster starts are said at once; errors no retry can
 * fix end the run without restarts; the last line is the root cause, the trace is in the log file.
 */
class FailureReportTest {
    @TempDir
    Path dir;

    record Launch(int exitCode, String output, long millis) {
        String lastLine() {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @Test
    void aMissingTokenIsSaidBeforeTheClusterStarts() throws Exception {
        Launch run = launch(Map.of(), "run", "--x-rule", "acme=acme lang:en", "--lake", dir.resolve("lake").toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.lastLine()).contains("no X bearer token").contains("X_BEARER_TOKEN");
        assertThat(run.output()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(dir.resolve("lake")).doesNotExist();

        Launch fromFile = launch(Map.of(), "run", "--x-rule", "acme=acme", "--x-token", "file:" + dir.resolve("no-such-file"),
                "--lake", dir.resolve("lake").toString());
        assertThat(fromFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(fromFile.lastLine()).contains("cannot read the bearer token file");
    }

    @Test
    void aSettingNoSourceAcceptsIsTheOnlyLineNotOneAfterAReadingLine() throws Exception {
        Launch none = launch(Map.of(), "run", "--mastodon-hashtag", "rt", "--lake", dir.resolve("lake").toString());
        assertThat(none.exitCode()).as(none.output()).isEqualTo(ExitCodes.USAGE);
        // Both problems, at once (since JobSettings lists every problem the last line is the second).
        assertThat(none.output()).contains("no source").contains("--mastodon-hashtag").doesNotContain("reading");

        Launch both = launch(Map.of(), "run", "--mastodon", "http://127.0.0.1:9", "--mastodon-hashtag", "rt",
                "--mastodon-list", "7", "--lake", dir.resolve("lake").toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString());
        assertThat(both.exitCode()).as(both.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.output()).doesNotContain("tidings: reading");
    }

    @Test
    void aRefusedTokenEndsTheRunAtOnceWithTheCauseAsTheLastLine() throws Exception {
        try (FakeXServer x = new FakeXServer()) {
            Path wrongToken = Files.writeString(dir.resolve("token"), "not-" + FakeXServer.TOKEN);
            Launch run = launch(Map.of(), "run", "--x-rule", "acme=acme", "--x-token", "file:" + wrongToken,
                    "--x-api", x.uri().toString(), "--lake", dir.resolve("lake").toString(),
                    "--checkpoint-dir", dir.resolve("checkpoints").toString());
            assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.NOT_RETRYABLE);
            assertThat(run.lastLine()).contains("X refused the bearer token").contains("401").doesNotContain("not-" + FakeXServer.TOKEN);
            assertThat(run.output()).contains("not retried").doesNotContain("\tat ").doesNotContain("JobExecutionException");
            // One attempt, no restarts: the rules endpoint was asked once.
            assertThat(x.requests().stream().filter(r -> r.contains("/2/tweets/search/stream/rules")).count()).isEqualTo(1);
            // The whole trace is in the log file the last lines name.
            assertThat(Files.readString(dir.resolve("tidings.log"))).contains("\tat ").contains("X refused the bearer token");
        }
    }

    /** Every problem in the flags at once, in one exit 2: the red team's command (it said only the model's, wrongly). */
    @Test
    void everyProblemInTheFlagsIsSaidAtOnce() throws Exception {
        Path input = Files.writeString(dir.resolve("in.jsonl"), "");
        Launch run = launch(Map.of(), "import", input.toString(), "-p", "0", "--checkpoint-interval", "0", "--batch-size", "0",
                "--model-workers", "-1", "--model-threads", "0", "--lake", "");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output()).contains("--model-threads must be >= 1, got 0", "--model-workers must be >= 1, got -1",
                "--batch-size must be >= 1, got 0", "no lake", "parallelism must be >= 1, got 0",
                "checkpoint interval must be positive").doesNotContain("Exception");
    }

    /** A value of the wrong type: one line and where the options are, not picocli's ~120 lines of usage. */
    @Test
    void aMistypedValueIsOneLineAndAPointerToHelp() throws Exception {
        Launch run = launch(Map.of(), "import", "-p", "abc", "in.jsonl");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.output().lines().toList()).containsExactly(
                "tidings: Invalid value for option '--parallelism': 'abc' is not an int",
                "(see bin/tidings import --help)");

        Launch unknown = launch(Map.of(), "run", "--paralelism", "2", "in.jsonl");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.output()).contains("--paralelism").contains("(see bin/tidings run --help)").doesNotContain("Usage:");
        assertThat(unknown.output().lines().count()).isLessThan(6);
    }

    /** {@code bluesky=yes} in a --config file: refused by key, exit 2 (it became an input file named "yes", exit 3). */
    @Test
    void aSwitchInAConfigFileIsTrueOrFalse() throws Exception {
        Path config = Files.writeString(dir.resolve("job.properties"), "bluesky=yes\nlake=" + dir.resolve("lake") + "\n");
        Launch run = launch(Map.of(), "run", "--config", config.toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.lastLine()).isEqualTo("tidings: bluesky=yes: bluesky is a switch, give true or false");
        assertThat(dir.resolve("lake")).doesNotExist();
    }

    /** Runs the launcher's main class in a JVM of its own, with X_BEARER_TOKEN unset unless given. */
    Launch launch(Map<String, String> env, String... args) throws Exception {
        // The launcher's own logging set-up (the test classpath's log4j2-test config would win otherwise).
        Path launcherLogging = Path.of("src/main/resources/log4j2.xml").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dtidings.log=" + dir.resolve("tidings.log"), "-Dlog4j2.configurationFile=" + launcherLogging,
                "-cp", System.getProperty("java.class.path"), TidingsCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).directory(new File(System.getProperty("user.dir")));
        builder.environment().remove("X_BEARER_TOKEN");
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Launch(process.exitValue(), Files.readString(dir.resolve("out.txt")),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
