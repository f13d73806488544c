package io.tidings.source.bluesky.split;

import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * What identifies a Jetstream commit event whichever instance sends it, and whatever {@code time_us}
 * that instance stamps on it: the repository ({@code did}), the record ({@code collection}, {@code
 * rkey}) and the commit's revision ({@code rev}; a later create, update or delete of the same record
 * has another). Missing parts are empty strings.
 */
@Internal
public record JetstreamEventId(String did, String collection, String rkey, String rev) {
    public JetstreamEventId {
        did = Objects.requireNonNullElse(did, "");
        collection = Objects.requireNonNullElse(collection, "");
        rkey = Objects.requireNonNullElse(rkey, "");
        rev = Objects.requireNonNullElse(rev, "");
    }

    @Override
    public String toString() {
        return did + "/" + collection + "/" + rkey + "@" + rev;
    }
}
