package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.job.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void theTidingsJobGroupMeansWhatTheSameFlagsMean() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"), """
                [
                  {"PropertyGroupId": "TidingsJob", "PropertyMap": {
                    "lake": "s3://my-bucket/tidings",
                    "parallelism": "4",
                    "checkpoint-interval": "120",
                    "model": "s3://my-bucket/models/tweet-multitask/",
                    "model-threads": "2",
                    "batch-size": "64",
                    "rule": "brand, rival",
                    "x-rule.1": "acme=(acme OR #acme) lang:en",
                    "x-rule.2": "rival=\\"rival, inc\\" -is:retweet",
                    "x-token": "env:X_BEARER_TOKEN",
                    "x-poll": "false",
                    "watch": "60",
                    "inputs": "s3://my-bucket/input/a.jsonl, s3://my-bucket/input/b/"
                  }},
                  {"PropertyGroupId": "Other", "PropertyMap": {"ignored": "yes"}}
                ]
                """);

        Map<String, Properties> groups = ApplicationProperties.fromFile(file);
        JobSettings settings = ApplicationProperties.settings(groups);

        assertThat(groups).containsKeys("TidingsJob", "Other");
        assertThat(settings.lake()).isEqualTo("s3://my-bucket/tidings");
        assertThat(settings.parallelism()).isEqualTo(4);
        assertThat(ApplicationProperties.setsParallelism(groups)).isTrue();
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.enrichment().modelLocation()).isEqualTo("s3://my-bucket/models/tweet-multitask/");
        assertThat(settings.enrichment().batchSize()).isEqualTo(64);
        assertThat(settings.fileRules()).containsExactly("brand", "rival");
        assertThat(settings.xRules()).extracting(r -> r.tag()).containsExactly("acme", "rival");
        assertThat(settings.xRules()).extracting(r -> r.value())
                .containsExactly("(acme OR #acme) lang:en", "\"rival, inc\" -is:retweet");
        assertThat(settings.xPollOnly()).isFalse();
        assertThat(settings.watchInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.files()).containsExactly("s3://my-bucket/input/a.jsonl", "s3://my-bucket/input/b/");
    }

    /**
     * Without {@code lake} the launcher's default, the relative folder {@code lake}, would have been a
     * folder on a TaskManager's local disk: on the service the group must name a shared URI.
     */
    @Test
    void onTheServiceTheLakeIsAUriTheGroupGives() {
        Properties job = new Properties();
        job.setProperty("inputs", "s3://my-bucket/input/");
        assertThatThrownBy(() -> ApplicationProperties.parseOnService(Map.of(ApplicationProperties.GROUP, job)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no lake").hasMessageContaining("s3a://");
        // Listed with the group's other problems.
        job.setProperty("parallelism", "0");
        assertThatThrownBy(() -> ApplicationProperties.parseOnService(Map.of(ApplicationProperties.GROUP, job)))
                .hasMessageContaining("no lake").hasMessageContaining("parallelism must be >= 1, got 0");
        job.remove("parallelism");
        for (String local : new String[] {"lake", "/mnt/lake", "file:///mnt/lake"}) {
            job.setProperty("lake", local);
            assertThatThrownBy(() -> ApplicationProperties.parseOnService(Map.of(ApplicationProperties.GROUP, job)))
                    .as(local).hasMessageContaining("lake=" + local).hasMessageContaining("TaskManager's local disk");
        }
        job.setProperty("lake", "s3a://my-bucket/lake");
        assertThat(ApplicationProperties.parseOnService(Map.of(ApplicationProperties.GROUP, job)).settings().lake())
                .isEqualTo("s3a://my-bucket/lake");
        // Locally (ManagedFlinkJob outside the service) a folder is fine.
        job.setProperty("lake", "lake");
        assertThat(ApplicationProperties.settings(Map.of(ApplicationProperties.GROUP, job)).lake()).isEqualTo("lake");
    }

    @Test
    void blueskyEndpointsAndKeywordsAreRepeatableKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"), """
                [{"PropertyGroupId": "TidingsJob", "PropertyMap": {
                    "lake": "s3a://my-bucket/lake",
                    "bluesky": "true",
                    "bluesky-endpoint": "wss://a.example/subscribe,wss://b.example/subscribe",
                    "bluesky-keyword.1": "streams=flink,kafka",
                    "bluesky-keyword.2": "lakes=iceberg"
                }}]
                """);
        JobSettings settings = ApplicationProperties.parseOnService(ApplicationProperties.fromFile(file)).settings();
        assertThat(settings.blueskyEndpoints()).containsExactly("wss://a.example/subscribe", "wss://b.example/subscribe");
        assertThat(settings.blueskyKeywords()).containsExactly(
                Map.entry("streams", java.util.List.of("flink", "kafka")), Map.entry("lakes", java.util.List.of("iceberg")));
    }

    @Test
    void withoutParallelismTheServiceDecides() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"),
                "[{\"PropertyGroupId\": \"TidingsJob\", \"PropertyMap\": {\"inputs\": \"a.jsonl\"}}]");
        assertThat(ApplicationProperties.setsParallelism(ApplicationProperties.fromFile(file))).isFalse();
    }

    @Test
    void aMissingGroupOrFileIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"),
                "[{\"PropertyGroupId\": \"Else\", \"PropertyMap\": {}}]");
        assertThatThrownBy(() -> ApplicationProperties.settings(ApplicationProperties.fromFile(file)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TidingsJob");
        assertThatThrownBy(() -> ApplicationProperties.fromFile(dir.resolve("none.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.json");
    }
}
