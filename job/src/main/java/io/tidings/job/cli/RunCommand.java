package io.tidings.job.cli;

import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import io.tidings.source.common.SecretToken;
import io.tidings.source.x.source.XBearerToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tidings run} and {@code tidings import}: the job on a local MiniCluster. {@code import}
 * reads the given files once and ends; {@code run --watch} keeps watching folders for new files.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the job on a local MiniCluster over files or folders of JSON lines"
                + " (X API v2 or v1.1, Bluesky Jetstream, Mastodon, or generic {id, text, created_at}),"
                + " and/or the X API v2 filtered stream (--x-rule), Bluesky (--bluesky), Mastodon (--mastodon URL).")
public class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "JSON-lines files (.gz fine) or folders.")
    List<String> inputs = new java.util.ArrayList<>();

    @Option(names = "--watch", paramLabel = "SECONDS",
            description = "Keep watching the folders for new files every SECONDS; the job then runs until stopped.")
    Long watchSeconds;

    @Override
    public Integer call() throws Exception {
        StopSignals signals = StopSignals.install();
        for (String input : inputs) {
            if (!input.contains("://") && !Files.exists(Path.of(input))) {
                if (!job.resume) {
                    System.err.println("tidings: no such file or folder: " + input);
                    return ExitCodes.NO_INPUT;
                }
                // A resumed run reads what its checkpoint says; a file it was reading becomes a dead letter.
                System.err.println("tidings: " + input + " is gone: if the checkpoint was still reading it, a dead letter"
                        + " says how far it got");
            }
        }
        JobSettings settings = job.settings(inputs)
                .watchInterval(watchSeconds == null ? null : Duration.ofSeconds(watchSeconds))
                .build();
        if (!settings.xRules().isEmpty()) {
            // The local task manager reads the token from this very environment: say now, before
            // the cluster starts, when it is not there.
            SecretToken token = XBearerToken.parse(settings.xBearerToken());
            if (!settings.xBearerToken().startsWith("secretsmanager:")) {
                try {
                    token.resolve();
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException("no X bearer token: " + e.getMessage() + " (--x-token says where"
                            + " it is: env:NAME, file:PATH or secretsmanager:ID)");
                }
            }
        }
        if (settings.mastodonToken() != null && !settings.mastodonToken().startsWith("secretsmanager:")) {
            try {
                SecretToken.parse(settings.mastodonToken()).named("Mastodon", "access token").resolve();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("no Mastodon access token: " + e.getMessage() + " (--mastodon-token says"
                        + " where it is: env:NAME, file:PATH or secretsmanager:ID)");
            }
        }
        LocalRunner runner = new LocalRunner(settings, System.err).launchedAt(LocalRunner.jvmStart());
        // Said once the job is built, so a setting no source accepts is the only line, not one after this.
        runner.whenBuilt(() -> System.err.printf("tidings: reading %s into %s (parallelism %d%s)%n", sourcesOf(settings),
                settings.lake(), settings.parallelism(), job.resumedFrom == null ? "" : ", resuming from " + job.resumedFrom));
        signals.onStop(runner::stop);
        LocalRunner.Summary summary = runner.run();
        TerminalText.println("tidings: " + summary);
        return ExitCodes.OK;
    }

    static String sourcesOf(JobSettings settings) {
        List<String> sources = new java.util.ArrayList<>(settings.files());
        settings.xRules().forEach(rule -> sources.add("X rule " + rule.tag()));
        if (settings.bluesky()) {
            sources.add(settings.blueskyKeywords().isEmpty() ? "Bluesky (every post)"
                    : "Bluesky " + String.join(", ", settings.blueskyKeywords().keySet()));
        }
        if (settings.mastodonServer() != null) {
            sources.add("Mastodon " + settings.mastodonServer() + (settings.mastodonHashtag() != null ? " #" + settings.mastodonHashtag()
                    : settings.mastodonList() != null ? " list " + settings.mastodonList() : " public timeline")
                    + (settings.mastodonLocal() ? " (local)" : ""));
        }
        return String.join(", ", sources);
    }
}
