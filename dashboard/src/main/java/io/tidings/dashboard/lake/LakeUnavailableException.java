package io.tidings.dashboard.lake;

/**
 * The lake cannot be read at all, said in one line: DuckDB's httpfs extension is not installed
 * (an installation step is missing: {@link #setup()}), or the object store refused or could not
 * be reached (the bucket, the endpoint or the credentials are wrong).
 */
public final class LakeUnavailableException extends RuntimeException {
    private final boolean setup;

    LakeUnavailableException(boolean setup, String message, Throwable cause) {
        super(message, cause);
        this.setup = setup;
    }

    /** True when something must be installed first (the command line cannot work as it is). */
    public boolean setup() {
        return setup;
    }
}
