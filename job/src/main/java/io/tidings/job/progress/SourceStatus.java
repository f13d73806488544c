package io.tidings.job.progress;

/**
 * A live source's connection, as a person reads it: connecting, receiving (and how fresh the
 * newest item is), or waiting to reconnect.
 *
 * @param received items received since the job started
 * @param backoffMs the reconnect wait in progress, 0 when none
 * @param lagMs now − the time of the newest item received, -1 before the first
 */
public record SourceStatus(String source, long received, long reconnects, long backoffMs, long lagMs) {
    /** The state alone, without how long ago or how long to wait: connecting, receiving or reconnecting, and the reconnects. */
    public String state() {
        String state = backoffMs > 0 ? "reconnecting" : received == 0 ? "connecting" : "receiving";
        return source + " " + state + " " + reconnects;
    }

    public String describe() {
        String state;
        if (backoffMs > 0) {
            state = String.format("reconnecting in %,d s", Math.max(1, backoffMs / 1000));
        } else if (received == 0) {
            state = "connecting";
        } else {
            state = lagMs < 0 ? "receiving" : "receiving, newest " + ago(lagMs);
        }
        return source + ": " + state + (reconnects > 0 ? String.format(" (%,d reconnects)", reconnects) : "");
    }

    private static String ago(long millis) {
        long seconds = millis / 1000;
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds < 2 * 86_400 ? seconds / 3600 + " h ago" : String.format("%,d days ago", seconds / 86_400);
    }
}
