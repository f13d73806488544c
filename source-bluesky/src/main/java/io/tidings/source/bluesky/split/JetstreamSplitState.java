package io.tidings.source.bluesky.split;

import org.apache.flink.annotation.Internal;

/**
 * The mutable position of the reader's split; the record emitter advances it after each record, and
 * remembers the identity of each event it emitted ({@link JetstreamRecentEvents}). When the
 * subscription started is fixed when the reader gets the split.
 */
@Internal
public final class JetstreamSplitState {
    private final String splitId;
    private final long subscribedAtUs;
    private final JetstreamRecentEvents recentEvents;
    private long lastTimeUs;

    /** @param keepMicros how long an emitted event is remembered ({@link JetstreamRecentEvents#keepMicrosFor}) */
    public JetstreamSplitState(JetstreamSplit split, long keepMicros) {
        this.splitId = split.splitId();
        this.subscribedAtUs = split.subscribedAtUs();
        this.lastTimeUs = split.lastTimeUs();
        this.recentEvents = new JetstreamRecentEvents(keepMicros, split.recentEvents());
    }

    /** Moves the cursor to {@code timeUs} if it is newer than the current one. */
    public void advance(long timeUs) {
        if (timeUs > lastTimeUs) {
            lastTimeUs = timeUs;
            recentEvents.forgetBefore(lastTimeUs);
        }
    }

    /** Remembers an event emitted with {@code timeUs}; then {@link #advance} to it. */
    public void emitted(JetstreamEventId id, long timeUs) {
        recentEvents.add(id, timeUs);
    }

    public String splitId() {
        return splitId;
    }

    public long lastTimeUs() {
        return lastTimeUs;
    }

    public long subscribedAtUs() {
        return subscribedAtUs;
    }

    public JetstreamSplit toSplit() {
        return new JetstreamSplit(splitId, lastTimeUs, subscribedAtUs, recentEvents.toMap());
    }
}
