package io.tidings.source.bluesky.split;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a Jetstream source: the WebSocket subscription, when it started, how far it got
 * (the {@code time_us} of the newest event processed and emitted, in order), and the identities of the
 * events emitted lately (what a replay may bring again). Immutable; {@link JetstreamSplitState} is its
 * mutable twin.
 */
@Internal
public final class JetstreamSplit implements SourceSplit {
    /** The id of the one split. */
    public static final String SPLIT_ID = "bluesky-jetstream-0";
    /** No event seen yet: subscribe live. */
    public static final long NO_CURSOR = -1L;
    /** The subscription has not started (a fresh split). */
    public static final long NOT_STARTED = -1L;

    private final String splitId;
    private final long lastTimeUs;
    private final long subscribedAtUs;
    private final Map<JetstreamEventId, Long> recentEvents;

    /** A split as version 1 knew it: no start, no recent events. */
    public JetstreamSplit(String splitId, long lastTimeUs) {
        this(splitId, lastTimeUs, NOT_STARTED, Map.of());
    }

    /**
     * @param recentEvents identity → time_us of the events emitted lately, in the order emitted
     *     ({@link JetstreamRecentEvents})
     */
    public JetstreamSplit(String splitId, long lastTimeUs, long subscribedAtUs, Map<JetstreamEventId, Long> recentEvents) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.lastTimeUs = lastTimeUs;
        this.subscribedAtUs = subscribedAtUs;
        this.recentEvents = Collections.unmodifiableMap(new LinkedHashMap<>(recentEvents));
    }

    /** A split that has seen nothing yet and has not started: the reader that gets it stamps the start. */
    public static JetstreamSplit fresh() {
        return new JetstreamSplit(SPLIT_ID, NO_CURSOR);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    /** {@code time_us} of the newest event emitted (or deliberately skipped), or {@link #NO_CURSOR}. */
    public long lastTimeUs() {
        return lastTimeUs;
    }

    public OptionalLong cursor() {
        return lastTimeUs < 0 ? OptionalLong.empty() : OptionalLong.of(lastTimeUs);
    }

    /**
     * When the subscription started (the first reader got the fresh split), unix microseconds like a
     * cursor, or {@link #NOT_STARTED} (a fresh split, or one from a version-1 checkpoint). Before the
     * first event, a reconnect asks Jetstream to replay from here.
     */
    public long subscribedAtUs() {
        return subscribedAtUs;
    }

    /** Whether the subscription has started: false for a fresh split, which the reader then stamps. */
    public boolean hasStarted() {
        return subscribedAtUs != NOT_STARTED;
    }

    /**
     * Whether the subscription starts with the reader that gets this split: it has not started and saw
     * nothing. A split from a checkpoint is not fresh, nor one from a version-1 checkpoint with a cursor.
     */
    public boolean isFresh() {
        return !hasStarted() && lastTimeUs < 0;
    }

    /** This split with the subscription's start, if it has none yet. */
    public JetstreamSplit startedAt(long unixMicros) {
        return hasStarted() ? this : new JetstreamSplit(splitId, lastTimeUs, unixMicros, recentEvents);
    }

    /** Identity → time_us of the events emitted lately, in the order emitted. */
    public Map<JetstreamEventId, Long> recentEvents() {
        return recentEvents;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JetstreamSplit s && splitId.equals(s.splitId) && lastTimeUs == s.lastTimeUs
                && subscribedAtUs == s.subscribedAtUs && recentEvents.equals(s.recentEvents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, lastTimeUs, subscribedAtUs, recentEvents);
    }

    @Override
    public String toString() {
        return "JetstreamSplit{" + splitId + ", lastTimeUs=" + lastTimeUs + ", subscribedAtUs=" + subscribedAtUs
                + ", recentEvents=" + recentEvents.size() + "}";
    }
}
