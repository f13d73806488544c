package io.tidings.job.progress;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard error of a run on a terminal, where the progress line is rewritten in place: anything
 * else written there while that line is shown (a warning from the log, a message) first clears it,
 * so the warning gets a line of its own instead of sticking to the end of the progress line. The
 * progress line comes back below it at the next tick. {@link ProgressLine} writes through
 * {@link #showProgress}; the launcher installs this as {@code System.err} when it has a console, and
 * the log's console appender follows {@code System.err}.
 */
public final class TerminalErr extends PrintStream {
    static final String CLEAR_LINE = "\r\033[2K";

    private boolean progressShown;
    private boolean writingProgress;

    public TerminalErr(PrintStream terminal) {
        super(terminal, true, StandardCharsets.UTF_8);
    }

    /** Shows {@code text} as the progress line, in place of the one shown. */
    synchronized void showProgress(String text) {
        writingProgress = true;
        try {
            print(CLEAR_LINE + text);
            flush();
        } finally {
            writingProgress = false;
        }
        progressShown = true;
    }

    /** Clears the progress line, if one is shown. */
    synchronized void clearProgress() {
        if (progressShown) {
            writingProgress = true;
            try {
                print(CLEAR_LINE);
                flush();
            } finally {
                writingProgress = false;
            }
            progressShown = false;
        }
    }

    @Override
    public synchronized void write(int b) {
        clearFirst();
        super.write(b);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
        clearFirst();
        super.write(buf, off, len);
    }

    private void clearFirst() {
        if (progressShown && !writingProgress) {
            progressShown = false;
            writingProgress = true;
            try {
                super.write(CLEAR_LINE.getBytes(StandardCharsets.UTF_8), 0, CLEAR_LINE.length());
            } finally {
                writingProgress = false;
            }
        }
    }
}
