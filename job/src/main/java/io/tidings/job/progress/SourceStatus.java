package io.tidings.job.progress;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A live source's connection, as a person reads it: connecting, receiving (and how fresh the
 * newest item is), waiting to reconnect, or waiting for a rate limit to reset. The last two differ
 * for whoever looks: a rate limit ends at a known time and needs nothing done, a reconnect back-off
 * says the network or the server fails.
 *
 * @param received items received since the job started
 * @param backoffMs the reconnect wait in progress, 0 when none
 * @param lagMs now − the time of the newest item received, -1 before the first
 * @param rateLimitedUntilMs when the source waits for a rate limit: until when (epoch ms); 0 when not
 * @param rateLimitHttpStatus the HTTP status that said so (429), 0 when the headers said no requests were left
 */
public record SourceStatus(String source, long received, long reconnects, long backoffMs, long lagMs,
        long rateLimitedUntilMs, long rateLimitHttpStatus) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** A source that waits for no rate limit. */
    public SourceStatus(String source, long received, long reconnects, long backoffMs, long lagMs) {
        this(source, received, reconnects, backoffMs, lagMs, 0, 0);
    }

    /**
     * The state alone, without how long ago or how long to wait: connecting, receiving, reconnecting
     * or rate-limited, and the reconnects.
     */
    public String state() {
        String state = rateLimitedUntilMs > 0 ? "rate-limited" : backoffMs > 0 ? "reconnecting"
                : received == 0 ? "connecting" : "receiving";
        return source + " " + state + " " + reconnects;
    }

    /** In words, with the time a rate limit resets in this machine's time zone. */
    public String describe() {
        return describe(ZoneId.systemDefault());
    }

    public String describe(ZoneId zone) {
        String state;
        if (rateLimitedUntilMs > 0) {
            String until = LocalTime.ofInstant(Instant.ofEpochMilli(rateLimitedUntilMs), zone)
                    .truncatedTo(ChronoUnit.SECONDS).format(CLOCK);
            String why = rateLimitHttpStatus > 0 ? "HTTP " + rateLimitHttpStatus : "no requests left";
            // With a back-off the connection is gone and comes back then; without one (a gap fill that
            // spent the limit) the connection is kept and the source goes on then.
            state = "rate-limited until " + until + " (" + why + "), " + (backoffMs > 0 ? "reconnecting then" : "going on then");
        } else if (backoffMs > 0) {
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
