package io.tidings.source.mastodon.split;

import java.util.Comparator;
import org.apache.flink.annotation.Internal;

/**
 * Mastodon status ids: strings of decimal digits that sort as numbers (64-bit, Snowflake-like: the
 * creation time in milliseconds shifted left by 16 bits, plus a sequence). They are compared as
 * numbers without parsing (longer is larger, then digit by digit), so an id beyond {@code long}
 * still compares right.
 */
@Internal
public final class StatusIds {
    /** Numeric order of status ids. */
    public static final Comparator<String> ORDER = StatusIds::compare;

    private StatusIds() {}

    /** Whether {@code id} is a status id: 1 to 20 decimal digits, no leading zero. */
    public static boolean isStatusId(String id) {
        if (id == null || id.isEmpty() || id.length() > 20 || (id.length() > 1 && id.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Compares two status ids as numbers. */
    public static int compare(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** The larger of two ids; an empty string counts as none. */
    public static String max(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return compare(a, b) >= 0 ? a : b;
    }

    /**
     * The smallest id a status created at {@code epochMillis} can have (sequence 0): what Mastodon
     * itself uses to page timelines by time, so {@code min_id} of it asks for the statuses created
     * since then.
     */
    public static String atMillis(long epochMillis) {
        return Long.toUnsignedString(epochMillis << 16);
    }
}
