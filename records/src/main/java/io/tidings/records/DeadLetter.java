package io.tidings.records;

import java.io.Serializable;

/**
 * An input record that could not become a post, kept with the reason: bad input never fails the
 * job and never disappears. Written as JSON lines under {@code _deadletter/} in the lake.
 */
public class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    public String source;
    public String position;
    /** Why the record was refused, in words a person can act on. */
    public String reason;
    /** The record's bytes as received. */
    public byte[] raw;
    /** When it was refused, epoch milliseconds. */
    public long failedAt;

    public DeadLetter() {}

    public DeadLetter(RawRecord record, String reason, long failedAt) {
        this.source = record.source;
        this.position = record.position;
        this.raw = record.bytes;
        this.reason = reason;
        this.failedAt = failedAt;
    }
}
