package io.tidings.job.cli;

/** What {@code bin/tidings} exits with. */
final class ExitCodes {
    private ExitCodes() {}

    static final int OK = 0;
    /** The job or the query failed. */
    static final int FAILED = 1;
    /** Bad command line (picocli's own code). */
    static final int USAGE = 2;
    /** An input file or the lake does not exist. */
    static final int NO_INPUT = 3;
    /**
     * The job stopped at once, without restarts, on an error no retry can fix (X refused the token
     * or a rule): the configuration needs changing.
     */
    static final int NOT_RETRYABLE = 4;
    /** A second Ctrl-C or SIGTERM while the first one's clean stop was under way (128 + SIGINT). */
    static final int INTERRUPTED = 130;
}
