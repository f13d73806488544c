package io.tidings.source.x.reader;

import org.apache.flink.annotation.Internal;

/** X answered a request with an HTTP error status. */
@Internal
public final class XApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Long rateLimitReset;

    public XApiException(String what, int status, Long rateLimitReset, String body) {
        super(what + ": HTTP " + status + (body == null || body.isBlank() ? "" : " " + abbreviate(body)));
        this.status = status;
        this.rateLimitReset = rateLimitReset;
    }

    public int status() {
        return status;
    }

    /** {@code x-rate-limit-reset} (epoch seconds), or null. */
    public Long rateLimitReset() {
        return rateLimitReset;
    }

    public boolean isRateLimited() {
        return status == 429;
    }

    /** Errors that retrying will not fix (bad token, forbidden, bad request). */
    public boolean isPermanent() {
        return status >= 400 && status < 500 && status != 429 && status != 408;
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 500 ? one.substring(0, 500) + "…" : one;
    }
}
