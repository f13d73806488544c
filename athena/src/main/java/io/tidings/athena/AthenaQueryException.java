package io.tidings.athena;

/**
 * A query that Athena did not answer: it failed (with Athena's reason), was cancelled, or ran past
 * the runner's timeout and was stopped. The message is meant for people: it names the query
 * execution, its final state and Athena's {@code StateChangeReason}.
 */
public class AthenaQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String queryExecutionId;
    private final String state;

    public AthenaQueryException(String message, String queryExecutionId, String state) {
        super(message);
        this.queryExecutionId = queryExecutionId;
        this.state = state;
    }

    /** The query execution's id, to look it up in the Athena console; null if none was started. */
    public String queryExecutionId() {
        return queryExecutionId;
    }

    /** FAILED, CANCELLED or TIMED_OUT (stopped by the runner). */
    public String state() {
        return state;
    }
}
