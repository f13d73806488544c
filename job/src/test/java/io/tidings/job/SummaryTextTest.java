package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTextTest {
    @Test
    void everySkippedRecordIsCountedEvenPastTheKindsNamed() {
        Map<String, Long> kinds = Map.of("Bluesky 'identity' event", 2L, "Mastodon 'notification' event", 2L,
                "Bluesky 'account' event", 1L, "Bluesky commit to 'app.bsky.feed.like'", 1L,
                "Mastodon 'filters_changed' event", 1L, "Mastodon 'announcement' event", 1L);
        LocalRunner.Summary summary = new LocalRunner.Summary(20, 12, 12, 0, 0, 8, 0, 12, Duration.ofSeconds(3), false,
                new java.util.TreeMap<>(kinds), Duration.ofMillis(2500));
        assertThat(summary.toString()).endsWith("first post written 2.5 s after launch; skipped: 2 Bluesky 'identity' event,"
                + " 2 Mastodon 'notification' event, 1 Bluesky 'account' event, 1 Bluesky commit to 'app.bsky.feed.like',"
                + " 2 of 2 more kinds (every kind's count and one reason of each in the log)");
    }
}
