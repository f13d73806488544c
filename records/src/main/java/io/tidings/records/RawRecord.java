package io.tidings.records;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One input record exactly as a source received it: the bytes of one JSON document, where they
 * came from, and where in that source. Sources emit these; the normalizer turns them into {@link
 * Post}s or {@link DeadLetter}s, so no source needs to know any post dialect.
 */
public class RawRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Which source produced the record, e.g. {@code file:/data/tweets.jsonl.gz} or {@code x-stream}. */
    public String source;
    /** Where in that source, e.g. {@code line 1207}; free text, for people reading dead letters. */
    public String position;
    /** The record's bytes, untouched (they may be invalid UTF-8: that is for the normalizer to say). */
    public byte[] bytes;
    /** When the record was read, epoch milliseconds. */
    public long receivedAt;
    /** Rules or search terms of the source that this record matched, if the source knows them. */
    public String[] matchedRules;
    /**
     * Set when the source could not read the record whole: why, in words a person can act on (a
     * file that is not gzip, is cut short, has vanished or may not be read; a line over the size
     * limit). {@link #bytes} then holds what was read, possibly nothing. The normalizer turns such
     * a record into a dead letter with this reason.
     */
    public String unreadable;

    public RawRecord() {}

    public RawRecord(String source, String position, byte[] bytes, long receivedAt) {
        this.source = source;
        this.position = position;
        this.bytes = bytes;
        this.receivedAt = receivedAt;
        this.matchedRules = new String[0];
    }

    /** A record for input the source could not read: it becomes a dead letter with {@code reason}. */
    public static RawRecord unreadable(String source, String position, byte[] bytesRead, String reason, long receivedAt) {
        RawRecord record = new RawRecord(source, position, bytesRead, receivedAt);
        record.unreadable = reason;
        return record;
    }

    @Override
    public String toString() {
        return "RawRecord{" + source + " " + position + ", " + (bytes == null ? 0 : bytes.length)
                + " bytes, rules=" + Arrays.toString(matchedRules) + "}";
    }
}
