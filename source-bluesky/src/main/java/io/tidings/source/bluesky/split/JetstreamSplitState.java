package io.tidings.source.bluesky.split;

import org.apache.flink.annotation.Internal;

/** The mutable position of the reader's split; the record emitter advances it after each record. */
@Internal
public final class JetstreamSplitState {
    private final String splitId;
    private long lastTimeUs;

    public JetstreamSplitState(JetstreamSplit split) {
        this.splitId = split.splitId();
        this.lastTimeUs = split.lastTimeUs();
    }

    /** Moves the cursor to {@code timeUs} if it is newer than the current one. */
    public void advance(long timeUs) {
        if (timeUs > lastTimeUs) {
            lastTimeUs = timeUs;
        }
    }

    public String splitId() {
        return splitId;
    }

    public long lastTimeUs() {
        return lastTimeUs;
    }

    public JetstreamSplit toSplit() {
        return new JetstreamSplit(splitId, lastTimeUs);
    }
}
