package io.tidings.job.progress;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one progress line of a local run: records read, distinct posts, dead letters and each live
 * source's connection. On a terminal it is rewritten in place. In a log (output redirected) a line
 * is written when a source's connection changes, when the counts changed and {@value
 * #LOG_COUNTS_SECONDS} seconds passed, and every {@value #LOG_EVERY_SECONDS} seconds while nothing
 * changes: a long back-off is one line that says so, not hundreds alike.
 */
public final class ProgressLine {
    static final int LOG_EVERY_SECONDS = 60;
    static final int LOG_COUNTS_SECONDS = 10;
    private static final String CLEAR_LINE = TerminalErr.CLEAR_LINE;

    private final PrintStream out;
    private final boolean terminal;
    private String lastCounts = "";
    private String lastStates = "";
    private long lastShownAtSeconds = -1;
    private boolean lineOpen;

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * @param posts distinct posts (after de-duplication)
     * @param seconds since the run started
     */
    public void update(long records, long posts, long deadLetters, List<SourceStatus> sources, long seconds) {
        String counts = String.format("%,d read · %,d posts · %,d dead letters", records, posts, deadLetters);
        String connections = sources.stream().map(source -> " · " + source.describe()).collect(Collectors.joining());
        String text = String.format("  %s%s · %d s", counts, connections, seconds);
        // How fresh the newest item is changes every tick; only a change of state is news in a log.
        String states = sources.stream().map(SourceStatus::state).collect(Collectors.joining(","));
        if (terminal) {
            if (out instanceof TerminalErr shared) {
                shared.showProgress(text);
            } else {
                out.print(CLEAR_LINE + text);
                out.flush();
            }
            lineOpen = true;
            return;
        }
        long quiet = lastShownAtSeconds < 0 ? Long.MAX_VALUE : seconds - lastShownAtSeconds;
        if (!states.equals(lastStates) || (!counts.equals(lastCounts) && quiet >= LOG_COUNTS_SECONDS)
                || quiet >= LOG_EVERY_SECONDS) {
            out.println(text);
            lastCounts = counts;
            lastStates = states;
            lastShownAtSeconds = seconds;
        }
    }

    /** A message on a line of its own (the progress line goes on below it). */
    public void say(String message) {
        end();
        out.println("  " + message);
    }

    /** Leaves the terminal's line empty for what comes next. */
    public void end() {
        if (lineOpen) {
            if (out instanceof TerminalErr shared) {
                shared.clearProgress();
            } else {
                out.print(CLEAR_LINE);
                out.flush();
            }
            lineOpen = false;
        }
    }
}
