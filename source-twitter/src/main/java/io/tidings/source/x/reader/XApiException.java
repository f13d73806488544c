package io.tidings.source.x.reader;

import org.apache.flink.annotation.Internal;

/** X answered a request with an HTTP error status. */
@Internal
public final class XApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String request;
    private final int status;
    private final Long rateLimitReset;
    private final String body;

    /** @param request what was asked, e.g. {@code GET /2/tweets/search/stream/rules} */
    public XApiException(String request, int status, Long rateLimitReset, String body) {
        super(request + ": HTTP " + status + (body == null || body.isBlank() ? "" : " " + abbreviate(body)));
        this.request = request;
        this.status = status;
        this.rateLimitReset = rateLimitReset;
        this.body = body == null ? "" : body;
    }

    /** What was asked, e.g. {@code GET /2/tweets/search/stream/rules}. */
    public String request() {
        return request;
    }

    public int status() {
        return status;
    }

    /** X's answer, as received (may be empty). */
    public String body() {
        return body;
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
