package io.tidings.glue;

import io.tidings.athena.LakeLayout;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One partition of a lake table, as the job's bucket assigner writes it (UTC): an hour, folder
 * {@code dt=YYYY-MM-DD/hour=HH}, Glue values {@code ["2026-11-20", "7"]}; or, in a lake
 * partitioned by day ({@link LakeLayout#DAY}, {@code hour} null), a day, folder {@code dt=YYYY-MM-DD},
 * values {@code ["2026-11-20"]}.
 */
public record LakePartition(LocalDate dt, Integer hour) {
    public LakePartition {
        if (hour != null && (hour < 0 || hour > 23)) {
            throw new IllegalArgumentException("hour must be 0-23, got " + hour);
        }
    }

    /** The hour partition an instant falls in. */
    public static LakePartition of(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return new LakePartition(utc.toLocalDate(), utc.getHour());
    }

    /** The partition an instant falls in, in the layout's grain. */
    public static LakePartition of(Instant instant, LakeLayout layout) {
        LakePartition hour = of(instant);
        return layout == LakeLayout.HOUR ? hour : new LakePartition(hour.dt(), null);
    }

    /** Every hour of the days {@code from} to {@code to}, both included. */
    public static List<LakePartition> hoursOf(LocalDate from, LocalDate to) {
        return from.datesUntil(to.plusDays(1))
                .flatMap(day -> java.util.stream.IntStream.range(0, 24).mapToObj(h -> new LakePartition(day, h)))
                .toList();
    }

    /** Every partition of the days {@code from} to {@code to}, both included, in the layout's grain. */
    public static List<LakePartition> of(LakeLayout layout, LocalDate from, LocalDate to) {
        return layout == LakeLayout.HOUR ? hoursOf(from, to)
                : from.datesUntil(to.plusDays(1)).map(day -> new LakePartition(day, null)).toList();
    }

    /** The layout of the lakes this partition belongs to. */
    public LakeLayout layout() {
        return hour == null ? LakeLayout.DAY : LakeLayout.HOUR;
    }

    public List<String> values() {
        return hour == null ? List.of(dt.toString()) : List.of(dt.toString(), Integer.toString(hour));
    }

    /** The folder under the table's location, e.g. {@code dt=2026-11-20/hour=07/}. */
    public String folder() {
        return hour == null ? "dt=" + dt + "/" : String.format("dt=%s/hour=%02d/", dt, hour);
    }
}
