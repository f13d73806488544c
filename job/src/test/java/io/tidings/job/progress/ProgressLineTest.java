package io.tidings.job.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWarningWrittenWhileTheProgressLineIsShownGetsALineOfItsOwn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalErr err = new TerminalErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        ProgressLine line = new ProgressLine(err, true);
        line.update(10, 9, 0, List.of(), 3);
        err.println("01:32:46 WARN  MastodonFetcher - a garbage frame");
        line.update(12, 11, 0, List.of(), 4);
        line.end();
        String clear = TerminalErr.CLEAR_LINE;
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(clear + "  10 read · 9 posts · 0 dead letters · 3 s"
                + clear + "01:32:46 WARN  MastodonFetcher - a garbage frame" + System.lineSeparator()
                + clear + "  12 read · 11 posts · 0 dead letters · 4 s" + clear);
        err.println("after the end");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("nothing to clear once the line is gone")
                .endsWith(clear + "after the end" + System.lineSeparator()).doesNotContain(clear + clear);
    }

    @Test
    void inALogALineIsWrittenWhenAConnectionChangesCountsEveryTenSecondsAndOtherwiseEveryMinute() {
        ProgressLine line = new ProgressLine(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
        SourceStatus waiting = new SourceStatus("x", 10, 2, 8_000, 1_000);
        line.update(100, 90, 1, List.of(waiting), 3);
        line.update(100, 90, 1, List.of(waiting), 6);
        line.update(100, 90, 1, List.of(waiting), 30);
        line.update(100, 90, 1, List.of(waiting), 63);
        line.update(120, 110, 1, List.of(new SourceStatus("x", 30, 2, 0, 2_000)), 64);
        line.update(150, 140, 1, List.of(new SourceStatus("x", 60, 2, 0, 2_000)), 66);
        line.update(170, 160, 1, List.of(new SourceStatus("x", 80, 2, 0, 2_000)), 75);

        assertThat(printed().lines()).containsExactly(
                "  100 read · 90 posts · 1 dead letters · x: reconnecting in 8 s (2 reconnects) · 3 s",
                "  100 read · 90 posts · 1 dead letters · x: reconnecting in 8 s (2 reconnects) · 63 s",
                "  120 read · 110 posts · 1 dead letters · x: receiving, newest 2 s ago (2 reconnects) · 64 s",
                "  170 read · 160 posts · 1 dead letters · x: receiving, newest 2 s ago (2 reconnects) · 75 s");
    }

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAndClearedForWhatFollows() {
        ProgressLine line = new ProgressLine(new PrintStream(printed, true, StandardCharsets.UTF_8), true);
        line.update(1, 1, 0, List.of(), 1);
        line.update(2, 2, 0, List.of(), 2);
        line.say("stopping");

        assertThat(printed()).isEqualTo("\r\033[2K  1 read · 1 posts · 0 dead letters · 1 s"
                + "\r\033[2K  2 read · 2 posts · 0 dead letters · 2 s" + "\r\033[2K" + "  stopping" + System.lineSeparator());
    }

    @Test
    void aSourceSaysWhetherItConnectsReceivesOrWaits() {
        assertThat(new SourceStatus("bluesky", 0, 0, 0, -1).describe()).isEqualTo("bluesky: connecting");
        assertThat(new SourceStatus("bluesky", 5, 0, 0, 125_000).describe()).isEqualTo("bluesky: receiving, newest 2 min ago");
        assertThat(new SourceStatus("x", 5, 3, 60_000, 5_000).describe()).isEqualTo("x: reconnecting in 60 s (3 reconnects)");
    }

    @Test
    void aRateLimitWaitSaysUntilWhenAndWhyRatherThanReconnectingIn() {
        long reset = Instant.parse("2026-01-05T14:05:12.345Z").toEpochMilli();
        SourceStatus limited = new SourceStatus("mastodon", 10, 1, 90_000, 1_000, reset, 429);
        assertThat(limited.describe(ZoneOffset.UTC))
                .isEqualTo("mastodon: rate-limited until 14:05:12 (HTTP 429), reconnecting then (1 reconnects)");
        assertThat(new SourceStatus("mastodon", 10, 0, 0, 1_000, reset, 0).describe(ZoneId.of("Europe/Berlin")))
                .as("a gap fill that spent the limit keeps its connection").isEqualTo(
                        "mastodon: rate-limited until 15:05:12 (no requests left), going on then");
        assertThat(new SourceStatus("x", 5, 3, 60_000, 5_000, reset, 429).describe(ZoneOffset.UTC))
                .isEqualTo("x: rate-limited until 14:05:12 (HTTP 429), reconnecting then (3 reconnects)");

        // In a log, the change from a back-off to a rate-limit wait is news: a line of its own.
        ProgressLine line = new ProgressLine(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
        line.update(10, 10, 0, List.of(new SourceStatus("mastodon", 10, 1, 90_000, 1_000)), 1);
        line.update(10, 10, 0, List.of(limited), 2);
        assertThat(printed().lines()).hasSize(2).last().asString().contains("mastodon: rate-limited until ")
                .doesNotContain("reconnecting in");
    }
}
