package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void longLinesAreCutWhereAClauseEndsAndShortOnesStayWhole() {
        String summary = "tidings demo: 2,495 records → 2,495 posts written (2,300 scored), 0 duplicates, 0 dead letters,"
                + " 0 skipped, 0 deletions in 21.5 s (116 posts/s); first post written 5.0 s after launch";
        assertThat(TerminalText.wrap(summary, 100)).containsExactly(
                "tidings demo: 2,495 records → 2,495 posts written (2,300 scored), 0 duplicates, 0 dead letters,",
                "  0 skipped, 0 deletions in 21.5 s (116 posts/s); first post written 5.0 s after launch");
        assertThat(TerminalText.wrap(summary, 100)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(TerminalText.wrap("short, and whole", 100)).containsExactly("short, and whole");
        assertThat(TerminalText.wrap("a-clause-longer-than-the-width, next", 10)).containsExactly("a-clause-longer-than-the-width,", "  next");
    }
}
