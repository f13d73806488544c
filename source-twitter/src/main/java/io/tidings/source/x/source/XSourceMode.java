package io.tidings.source.x.source;

import org.apache.flink.annotation.PublicEvolving;

/** How the source gets posts from X. */
@PublicEvolving
public enum XSourceMode {
    /** The filtered stream ({@code GET /2/tweets/search/stream}), with recent-search gap fill. */
    STREAM,
    /** Recent search alone ({@code GET /2/tweets/search/recent}) every poll interval, for API levels without streaming. */
    POLL_RECENT_SEARCH
}
