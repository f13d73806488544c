package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.job.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void propertiesBecomeOptionsAndTheCommandLineWins() throws Exception {
        Path config = Files.writeString(dir.resolve("job.properties"),
                "lake=s3://bucket/lake\nparallelism=4\ncheckpoint-interval=30\nrule=brand, rival\ninputs=a.jsonl,b/\n");
        String[] args = ConfigFileArguments.expand(new String[] {"run", "--config", config.toString(), "--parallelism", "3"});

        RunCommand run = new RunCommand();
        CommandLine cli = new CommandLine(run);
        cli.setOverwrittenOptionsAllowed(true);
        cli.parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        JobSettings settings = run.job.settings(run.inputs).build();

        assertThat(settings.lake()).isEqualTo("s3://bucket/lake");
        assertThat(settings.parallelism()).isEqualTo(3);
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.fileRules()).containsExactly("brand", "rival");
        assertThat(settings.files()).containsExactly("a.jsonl", "b/");
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> ConfigFileArguments.expand(new String[] {"run", "--config", dir.resolve("nope").toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }

    @Test
    void resumeWithoutACheckpointIsAClearError() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--resume", "--checkpoint-dir", dir.resolve("none").toString(), "x.jsonl");
        assertThatThrownBy(() -> run.job.settings(run.inputs).parallelism(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no checkpoint").hasMessageContaining("parallelism must be >= 1");
    }

    @Test
    void resumeAfterARunThatReadItsInputToTheEndIsRefused() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        io.tidings.job.RetainedCheckpoints.markFinished(checkpoints, "0123456789abcdef");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--resume", "--checkpoint-dir", checkpoints.toString(), "x.jsonl");
        assertThatThrownBy(() -> run.job.settings(run.inputs).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0123456789abcdef").hasMessageContaining("nothing to resume");
    }

    @Test
    void theComplianceStreamIsAnOptionAndWantsXRules() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--x-rule", "acme=acme", "--x-compliance");
        assertThat(run.job.settings(run.inputs).build().xCompliance()).isTrue();

        RunCommand alone = new RunCommand();
        new CommandLine(alone).parseArgs("--x-compliance", "x.jsonl");
        assertThatThrownBy(() -> alone.job.settings(alone.inputs).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--x-compliance").hasMessageContaining("--x-rule");
    }

    @Test
    void mastodonFlagsNameOneTimelineOfOneServer() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--mastodon", "https://mastodon.social", "--mastodon-hashtag", "flink",
                "--mastodon-local", "--mastodon-token", "env:MASTODON_TOKEN");
        var settings = run.job.settings(run.inputs).build();
        assertThat(settings.mastodonServer()).isEqualTo("https://mastodon.social");
        assertThat(settings.mastodonHashtag()).isEqualTo("flink");
        assertThat(settings.mastodonLocal()).isTrue();
        assertThat(settings.mastodonToken()).isEqualTo("env:MASTODON_TOKEN");
        assertThat(settings.followsLiveSources()).isTrue();

        RunCommand noServer = new RunCommand();
        new CommandLine(noServer).parseArgs("--mastodon-hashtag", "flink", "x.jsonl");
        assertThatThrownBy(() -> noServer.job.settings(noServer.inputs).build())
                .hasMessageContaining("need the server: --mastodon https://server");

        RunCommand both = new RunCommand();
        new CommandLine(both).parseArgs("--mastodon", "https://mastodon.social", "--mastodon-hashtag", "flink",
                "--mastodon-list", "42");
        assertThatThrownBy(() -> both.job.settings(both.inputs).build()).hasMessageContaining("a hashtag or a list, not both");
    }

    @Test
    void propertiesBecomeClusterArgumentsWithNumberedRepeatableKeys() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("lake", "s3://bucket/lake");
        properties.setProperty("s3-path-style", "true");
        properties.setProperty("x-poll", "false");
        properties.setProperty("rule", "a, b");
        properties.setProperty("x-rule.1", "acme=acme, inc lang:en");
        properties.setProperty("x-rule.2", "rival=rival");
        properties.setProperty("inputs", "in/, more.jsonl");

        JobSettings settings = ClusterArguments.parse(ConfigFileArguments.fromProperties(properties));

        assertThat(settings.lake()).isEqualTo("s3://bucket/lake");
        assertThat(settings.s3PathStyle()).isTrue();
        assertThat(settings.xPollOnly()).isFalse();
        assertThat(settings.fileRules()).containsExactly("a", "b");
        assertThat(settings.xRules()).extracting(r -> r.value()).containsExactly("acme, inc lang:en", "rival");
        assertThat(settings.files()).containsExactly("in/", "more.jsonl");
    }
}
