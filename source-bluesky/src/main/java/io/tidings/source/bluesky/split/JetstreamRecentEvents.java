package io.tidings.source.bluesky.split;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The events emitted lately, by identity ({@link JetstreamEventId}), each with the {@code time_us} it
 * came with: so that an event a reconnect's replay brings again is recognised and dropped, whatever
 * {@code time_us} the (possibly other) instance stamped on it this time, while an event that was never
 * emitted is kept, even when its {@code time_us} is not newer than the cursor.
 *
 * <p>Bounded: an event is forgotten once it is more than {@code keepMicros} of {@code time_us} behind
 * the newest event processed. A reconnect replays from the cursor minus the replay window, so twice
 * that window ({@link #keepMicrosFor}) covers the replay plus instances whose stamps run up to one
 * window behind or ahead of the instance that sent an event first. All of Bluesky's posts come at tens
 * to a few hundred a second, so with the default 5 s replay this is at most a few thousand identities
 * (a few hundred kB), and far fewer with keyword filters; checkpoints hold the same. An older duplicate
 * that slips through is caught downstream (de-duplication by post id).
 *
 * <p>Not thread-safe: the fetch thread has one to decide, the task thread one in the split state to
 * checkpoint what was emitted.
 */
@Internal
public final class JetstreamRecentEvents {
    private final long keepMicros;
    /** In the order emitted, which is nearly the order of time_us: forgetting starts at the head. */
    private final LinkedHashMap<JetstreamEventId, Long> timeUsById;

    /** @param remembered identities and time_us of events emitted before (from a checkpoint), in order */
    public JetstreamRecentEvents(long keepMicros, Map<JetstreamEventId, Long> remembered) {
        this.keepMicros = keepMicros;
        this.timeUsById = new LinkedHashMap<>(remembered);
    }

    /** How long to remember an emitted event behind the newest: twice the replay window (see the class). */
    public static long keepMicrosFor(long replayMicros) {
        return 2 * replayMicros;
    }

    /** Whether an event with this identity was emitted lately. */
    public boolean contains(JetstreamEventId id) {
        return timeUsById.containsKey(id);
    }

    /** Remembers an emitted event. */
    public void add(JetstreamEventId id, long timeUs) {
        timeUsById.put(id, timeUs);
    }

    /**
     * Forgets the events no replay can bring again: those more than {@code keepMicros} behind {@code
     * newestTimeUs}. Stops at the first one still in the window, so an event stamped out of order
     * (after a fail-over) is forgotten a little later than it could be: memory stays bounded.
     */
    public void forgetBefore(long newestTimeUs) {
        long horizon = newestTimeUs - keepMicros;
        Iterator<Long> times = timeUsById.values().iterator();
        while (times.hasNext() && times.next() < horizon) {
            times.remove();
        }
    }

    public int size() {
        return timeUsById.size();
    }

    /** A copy, in the order emitted, for a split. */
    public Map<JetstreamEventId, Long> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(timeUsById));
    }
}
