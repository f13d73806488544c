package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.x.source.XRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings are made in one place, checked together, and never change after. */
class JobSettingsTest {

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> JobSettings.builder()
                .parallelism(0)
                .checkpointInterval(Duration.ZERO)
                .mastodonHashtag("flink")
                .enrichmentTimeout(Duration.ofSeconds(-1))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no source")
                .hasMessageContaining("parallelism must be >= 1, got 0")
                .hasMessageContaining("checkpoint interval must be positive")
                .hasMessageContaining("need the server: --mastodon https://server")
                .hasMessageContaining("enrichment timeout must be positive")
                .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(5));
    }

    @Test
    void contradictionsBetweenSettingsAreRefused() {
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).xCompliance(true).build())
                .hasMessageContaining("--x-compliance").hasMessageContaining("--x-rule");
        assertThatThrownBy(() -> JobSettings.builder().mastodonServer("https://m.example").mastodonHashtag("a")
                .mastodonList("42").build()).hasMessageContaining("a hashtag or a list, not both");
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).lake(" ").build())
                .hasMessageContaining("no lake");
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).watchInterval(Duration.ZERO).build())
                .hasMessageContaining("watch interval must be positive");
    }

    @Test
    void problemsTheCallerFoundAreListedWithTheSettingsOwn() {
        assertThatThrownBy(() -> JobSettings.builder().problem("--x-rule wants NAME=RULE; got broken").parallelism(0).build())
                .hasMessage("--x-rule wants NAME=RULE; got broken\nno source: give files or folders to read, X rules to follow,"
                        + " --bluesky, or --mastodon URL\nparallelism must be >= 1, got 0");
        // Settings that are fine otherwise are still refused: the caller's problem is not lost.
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).problem("--batch-size must be >= 1, got 0").build())
                .hasMessage("--batch-size must be >= 1, got 0");
    }

    @Test
    void optionsThatOnlyMeanSomethingWithAnotherAreRefused() {
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).xPollOnly(true).build())
                .hasMessageContaining("--x-poll").hasMessageContaining("--x-rule");
        assertThatThrownBy(() -> JobSettings.builder().files(List.of("a.jsonl")).glueEndpoint("http://127.0.0.1:5000").build())
                .hasMessageContaining("--glue-database");
    }

    @Test
    void builtSettingsDoNotChangeWhenWhatTheyWereBuiltFromDoes() {
        List<String> files = new ArrayList<>(List.of("a.jsonl"));
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        List<String> terms = new ArrayList<>(List.of("flink", "kafka"));
        keywords.put("streams", terms);
        keywords.put("lakes", List.of("iceberg"));
        JobSettings.Builder builder = JobSettings.builder().files(files).bluesky(true).blueskyKeywords(keywords)
                .blueskyLanguages(new LinkedHashSet<>(List.of("en", "de")));
        JobSettings settings = builder.build();

        files.add("b.jsonl");
        terms.add("spark");
        keywords.clear();
        builder.parallelism(7).files(List.of("c.jsonl"));

        assertThat(settings.files()).containsExactly("a.jsonl");
        assertThat(settings.blueskyKeywords()).containsExactly(
                Map.entry("streams", List.of("flink", "kafka")), Map.entry("lakes", List.of("iceberg")));
        assertThat(settings.blueskyLanguages()).containsExactly("en", "de");
        assertThat(settings.parallelism()).isEqualTo(2);
        assertThatThrownBy(() -> settings.files().add("d.jsonl")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> settings.blueskyKeywords().get("streams").add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aChangedCopyIsANewObjectCheckedAgain() {
        JobSettings settings = JobSettings.builder().xRules(List.of(XRule.of("acme", "acme"))).build();
        JobSettings more = settings.toBuilder().parallelism(4).build();

        assertThat(more).isEqualTo(settings.toBuilder().parallelism(4).build()).isNotEqualTo(settings);
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThatThrownBy(() -> settings.toBuilder().xRules(List.of()).build()).hasMessageContaining("no source");
    }

    @Test
    void settingsTravelToTheClusterByJavaSerialization() throws Exception {
        JobSettings settings = JobSettings.builder().files(List.of("s3://bucket/in/")).lake("s3://bucket/lake")
                .bluesky(true).blueskyKeywords(Map.of("acme", List.of("acme"))).blueskyLanguages(new LinkedHashSet<>(List.of("en")))
                .watchInterval(Duration.ofSeconds(5)).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(settings);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(settings);
        }
    }
}
