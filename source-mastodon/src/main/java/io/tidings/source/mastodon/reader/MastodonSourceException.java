package io.tidings.source.mastodon.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A problem that retrying will not fix (the server refuses the token, or wants one; the list does not
 * exist): it fails the source, and the annotation tells Flink not to restart the job for it, since
 * every attempt would meet the same answer.
 */
@Internal
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class MastodonSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MastodonSourceException(String message) {
        super(message);
    }

    /** Whether an HTTP status from the server means the request itself is refused, for good. */
    static boolean notRetryable(int status) {
        return status == 401 || status == 403 || status == 404 || status == 410 || status == 422;
    }

    /** The server refused {@code what} with {@code status}: says what to change, never the token. */
    static MastodonSourceException refused(int status, String what, String timeline, String tokenDescription,
            String serverSaid) {
        String hint;
        if (status == 401 || status == 422) {
            hint = tokenDescription == null
                    ? "this server wants an access token for " + timeline + ": give one with --mastodon-token"
                            + " (an application's token from Preferences > Development, scope read:statuses)"
                    : "the server does not take the " + tokenDescription + " (wrong, revoked, or without the"
                            + " read:statuses scope)";
        } else if (status == 403) {
            hint = "the token's account may not read " + timeline;
        } else {
            hint = timeline + " does not exist on this server" + (timeline.startsWith("list")
                    ? " for the token's account (lists belong to one account)" : "");
        }
        return new MastodonSourceException("Mastodon refused " + what + " (HTTP " + status + "): " + hint
                + (serverSaid == null || serverSaid.isBlank() ? "" : ". The server said: " + serverSaid));
    }
}
