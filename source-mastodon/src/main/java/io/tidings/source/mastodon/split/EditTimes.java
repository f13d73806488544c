package io.tidings.source.mastodon.split;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.flink.annotation.Internal;

/** Mastodon's {@code edited_at} (ISO 8601, or none: ""), compared as times. */
@Internal
public final class EditTimes {
    private EditTimes() {}

    /** Whether {@code candidate} is a later version than {@code known}; "" is the unedited status, the earliest. */
    public static boolean isNewer(String candidate, String known) {
        if (candidate.isEmpty()) {
            return false;
        }
        if (known.isEmpty()) {
            return true;
        }
        try {
            return OffsetDateTime.parse(candidate).toInstant().isAfter(OffsetDateTime.parse(known).toInstant());
        } catch (DateTimeParseException e) {
            return !candidate.equals(known); // not a time: any other value is another version
        }
    }
}
