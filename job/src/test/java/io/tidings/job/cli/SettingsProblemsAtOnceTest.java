package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every problem in what a run is given is listed at once, through the parser that {@code flink run}
 * and Managed Flink's property groups share with {@code bin/tidings run}. Red-team of issue 20 item
 * 3 (branch redteam-house, 4a34d14): each of these failed before, the problems then came one per
 * round, the model settings' line with the wrong values, and property groups misread flags.
 */
class SettingsProblemsAtOnceTest {

    /** The model settings were checked while the options were read, before JobSettings could list its problems. */
    @Test
    void badModelSettingsAreListedWithTheOtherProblems() {
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"-p", "0", "--checkpoint-interval", "0",
                "--batch-size", "0", "--model-workers", "-1", "--model-threads", "0", "--lake", "", "in.jsonl"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(String.join("\n",
                        "--model-threads must be >= 1, got 0",
                        "--model-workers must be >= 1, got -1",
                        "--batch-size must be >= 1, got 0",
                        "no lake: give a folder or a URI such as s3://bucket/prefix",
                        "parallelism must be >= 1, got 0",
                        "checkpoint interval must be positive, got PT0S"));
    }

    /** The message once printed the record before its fields were set: workerThreads=0 whatever was given. */
    @Test
    void aBadModelSettingNamesTheFlagAndTheValueGiven() {
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--model-workers", "-1", "in.jsonl"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--model-workers must be >= 1, got -1");
    }

    @Test
    void malformedRulesAndKeywordsAreListedWithTheOtherProblems() {
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--x-rule", "broken", "--bluesky",
                "--bluesky-keyword", "nothing", "-p", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--x-rule wants NAME=RULE")
                .hasMessageContaining("--bluesky-keyword wants NAME=TERM,TERM; got nothing")
                .hasMessageContaining("parallelism must be >= 1, got 0");
    }

    /** Options that mean nothing without another were accepted silently (the job then ran without them). */
    @Test
    void optionsThatNeedAnotherAreRefused() {
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--x-poll", "in.jsonl"}))
                .as("--x-poll without --x-rule").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--x-poll").hasMessageContaining("--x-rule");
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--glue-region", "eu-west-1", "in.jsonl"}))
                .as("--glue-region without --glue-database").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--glue-database");
    }

    /**
     * What a source's own builder refuses was said only when the job was built, after everything
     * else had passed; now it is listed with the rest.
     */
    @Test
    void whatASourceRefusesIsListedWithTheOtherProblems() {
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--mastodon", "ftp://x", "--bluesky",
                "--bluesky-endpoint", "wss://a.example/subscribe?wantedCollections=x", "--x-rule", "a=acme", "--x-rule", "a=rival",
                "-p", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism must be >= 1, got 0")
                .hasMessageContaining("X source: two rules share the tag 'a'")
                .hasMessageContaining("Bluesky source: endpoint wss://a.example/subscribe?wantedCollections=x has a query")
                .hasMessageContaining("Mastodon source: server must be an http(s):// URL like https://mastodon.social, got ftp://x")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("configuration:"));
        assertThatThrownBy(() -> ClusterArguments.parse(new String[] {"--mastodon", "https://bad host", "in.jsonl"}))
                .hasMessageContaining("Mastodon source: --mastodon https://bad host is not a URL");
    }

    /**
     * {@code bluesky=yes} in a property group or --config file became {@code --bluesky yes}, and picocli
     * took {@code yes} for an input file (the CLI said "no such file or folder: yes", exit 3; the
     * service started a job reading a file "yes").
     */
    @Test
    void aFlagPropertyThatIsNeitherTrueNorFalseIsRefusedByName() {
        Properties group = new Properties();
        group.setProperty("bluesky", "yes");
        group.setProperty("s3-path-style", "1");
        group.setProperty("lake", "s3a://bucket/lake");
        assertThatThrownBy(() -> ConfigFileArguments.fromProperties(group))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bluesky=yes: bluesky is a switch, give true or false\n"
                        + "s3-path-style=1: s3-path-style is a switch, give true or false");
    }

    /**
     * A property could give --bluesky-endpoint once: the comma list arrived as one URL, which is a
     * valid URI (its path holds the rest), so nothing refused it and the fail-over list was lost.
     * Now the key is a comma list as {@code x-rule} is, and numbered keys keep their numbers' order.
     */
    @Test
    void aPropertyCanGiveSeveralBlueskyEndpointsAndKeywords() {
        Properties group = new Properties();
        group.setProperty("bluesky", "true");
        group.setProperty("lake", "s3a://bucket/lake");
        group.setProperty("bluesky-endpoint", "wss://a.example/subscribe, wss://b.example/subscribe");
        group.setProperty("bluesky-keyword.2", "lakes=iceberg,delta");
        group.setProperty("bluesky-keyword.10", "engines=duckdb");
        group.setProperty("bluesky-keyword.1", "streams=flink,kafka");
        var settings = ClusterArguments.parse(ConfigFileArguments.fromProperties(group));
        assertThat(settings.blueskyEndpoints()).containsExactly("wss://a.example/subscribe", "wss://b.example/subscribe");
        assertThat(settings.blueskyKeywords().keySet()).containsExactly("streams", "lakes", "engines");
        assertThat(settings.blueskyKeywords().get("lakes")).containsExactly("iceberg", "delta");
    }

    /** The plain key holds one keyword filter, its terms' commas and all. */
    @Test
    void theBlueskyKeywordKeyIsOneFilterNotSplitOnItsCommas() {
        Properties group = new Properties();
        group.setProperty("bluesky", "true");
        group.setProperty("bluesky-keyword", "streams=flink, kafka");
        var settings = ClusterArguments.parse(ConfigFileArguments.fromProperties(group));
        assertThat(settings.blueskyKeywords()).containsOnlyKeys("streams");
        assertThat(settings.blueskyKeywords().get("streams")).containsExactly("flink", "kafka");
    }
}
