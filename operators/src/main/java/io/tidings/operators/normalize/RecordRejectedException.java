package io.tidings.operators.normalize;

/**
 * Thrown inside the normalizer when a record cannot become a post; its message is the reason that
 * goes into the dead letter. It never leaves {@link PostNormalizer}. Carries no stack trace: it is
 * expected on bad input, which may be frequent, and the reason says all there is to say.
 */
final class RecordRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
