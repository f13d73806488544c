package io.tidings.source.x.reader;

import io.tidings.source.common.SecretToken;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A problem that retrying will not fix (an invalid rule, a rejected token): it fails the source, and
 * the annotation tells Flink not to restart the job for it, whatever its restart strategy, since every
 * attempt would meet the same answer. Flink looks for the annotation along the cause chain, so it
 * works through the reader's wrapping exception. Give it no cause when the message says it all: the
 * job's failure then has this message as its root cause.
 */
@Internal
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class XSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XSourceException(String message) {
        super(message);
    }

    public XSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether X's answer means the bearer token (or its app) is refused: no retry can change that. */
    public static boolean refusesToken(int status) {
        return status == 401 || status == 403;
    }

    /**
     * X answered {@code request} with 401 (the token is unknown: wrong, revoked or regenerated) or 403
     * (the token is known, but its app may not use the endpoint): says what to check, never the token.
     */
    public static XSourceException tokenRefused(int status, String request, String xSaid, SecretToken token) {
        String message = status == 401
                ? "X refused the bearer token (HTTP 401 on " + request + "): check the " + token.describe()
                        + ". It must be the app-only bearer token of an X app (developer portal, Keys and tokens);"
                        + " regenerating the token there makes the old one invalid."
                : "X refused the bearer token (HTTP 403 on " + request + "): the token is known, but its app may"
                        + " not use this endpoint. Check that the X app whose token is the " + token.describe()
                        + " belongs to a Project whose access level includes it (developer portal).";
        return new XSourceException(message + (xSaid == null || xSaid.isBlank() ? "" : " X said: "
                + XApiException.abbreviate(xSaid)));
    }
}
