package io.tidings.dashboard.api;

import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** The time range the filters cover, and the bucket sizes a time series splits it into. */
final class TimeRange {
    /** A bucket size of a time series. */
    enum Bucket {
        MINUTE(ChronoUnit.MINUTES), HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

        final ChronoUnit unit;

        Bucket(ChronoUnit unit) {
            this.unit = unit;
        }

        String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        Instant truncate(Instant t) {
            return t.truncatedTo(unit);
        }

        /** The bucket that keeps a range to at most ~200 points. */
        static Bucket auto(Instant from, Instant to) {
            long minutes = Duration.between(from, to).toMinutes();
            if (minutes <= 200) {
                return MINUTE;
            }
            return minutes <= 200 * 60 ? HOUR : DAY;
        }

        /** {@code name}: minute, hour, day, or auto/blank/null for {@link #auto} over the range. */
        static Bucket of(String name, Instant[] range) {
            if (name == null || name.isBlank() || name.equals("auto")) {
                return auto(range[0], range[1]);
            }
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bucket must be minute, hour, day or auto");
            }
        }
    }

    private TimeRange() {}

    /** The filters' time range, or the data's own first and last post time within the other filters; null when no post matches. */
    static Instant[] of(LakeDatabase db, Filters f) throws SQLException {
        if (f.from() != null && f.to() != null) {
            return new Instant[] {f.from(), f.to().minusMillis(1)};
        }
        Map<String, Object> r;
        if (f.fitsPostHours()) {
            // post_hours keeps each group's first and last time: a few thousand rows instead of every post.
            Filters.Condition c = f.onPostHours("h");
            r = db.one("SELECT min(h.first) AS first, max(h.last) AS last FROM post_hours h WHERE " + c.sql(), c.params());
        } else {
            Filters.Condition c = f.on("p");
            r = db.one("SELECT min(p.created_at) AS first, max(p.created_at) AS last FROM posts p WHERE " + c.sql(), c.params());
        }
        if (r.get("first") == null) {
            return null;
        }
        Instant first = f.from() != null ? f.from() : Instant.parse((String) r.get("first"));
        Instant last = f.to() != null ? f.to().minusMillis(1) : Instant.parse((String) r.get("last"));
        return new Instant[] {first, last};
    }
}
