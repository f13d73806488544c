package io.tidings.source.x.reader;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * Where a recent search starts: after a post id ({@code since_id}: gap fill and polling once a post
 * was seen), at a time ({@code start_time}: gap fill before the first post, from when the
 * subscription started), or nowhere (the newest page only: the first poll).
 */
@Internal
public final class XSearchStart {
    /** X's {@code start_time} format: {@code YYYY-MM-DDTHH:mm:ssZ}, whole seconds, UTC. */
    private static final DateTimeFormatter START_TIME = DateTimeFormatter.ISO_INSTANT;

    private final String sinceId;
    private final Instant startTime;

    private XSearchStart(String sinceId, Instant startTime) {
        this.sinceId = sinceId;
        this.startTime = startTime == null ? null : startTime.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Posts newer than {@code postId}, all pages. */
    public static XSearchStart after(String postId) {
        return new XSearchStart(Objects.requireNonNull(postId, "postId"), null);
    }

    /** Posts from {@code time} on (X: inclusive, whole seconds; earlier milliseconds are cut off), all pages. */
    public static XSearchStart at(Instant time) {
        return new XSearchStart(null, Objects.requireNonNull(time, "time"));
    }

    /** Only the newest page: no position to search from. */
    public static XSearchStart newestPageOnly() {
        return new XSearchStart(null, null);
    }

    /** Whether the search pages through to the end ({@code next_token}) rather than taking the newest page. */
    public boolean allPages() {
        return sinceId != null || startTime != null;
    }

    /** {@code &since_id=…}, {@code &start_time=…} or nothing. */
    String queryParameters() {
        if (sinceId != null) {
            return "&since_id=" + XRecentSearch.encode(sinceId);
        }
        if (startTime != null) {
            return "&start_time=" + XRecentSearch.encode(START_TIME.format(startTime));
        }
        return "";
    }

    @Override
    public String toString() {
        if (sinceId != null) {
            return "since post " + sinceId;
        }
        return startTime != null ? "from " + START_TIME.format(startTime) : "newest page only";
    }
}
