package io.tidings.glue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One hour partition of a lake table: folder {@code dt=YYYY-MM-DD/hour=HH} (UTC), as the job's
 * bucket assigner writes it. Glue values are {@code ["2026-11-20", "7"]} for the partition keys
 * {@code dt date} and {@code hour int}.
 */
public record LakePartition(LocalDate dt, int hour) {
    public LakePartition {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0-23, got " + hour);
        }
    }

    /** The partition an instant falls in. */
    public static LakePartition of(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return new LakePartition(utc.toLocalDate(), utc.getHour());
    }

    /** Every hour of the days {@code from} to {@code to}, both included. */
    public static List<LakePartition> hoursOf(LocalDate from, LocalDate to) {
        return from.datesUntil(to.plusDays(1))
                .flatMap(day -> java.util.stream.IntStream.range(0, 24).mapToObj(h -> new LakePartition(day, h)))
                .toList();
    }

    public List<String> values() {
        return List.of(dt.toString(), Integer.toString(hour));
    }

    /** The folder under the table's location, e.g. {@code dt=2026-11-20/hour=07/}. */
    public String folder() {
        return String.format("dt=%s/hour=%02d/", dt, hour);
    }
}
