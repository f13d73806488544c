package io.tidings.dashboard.api;

import static io.tidings.dashboard.api.Rows.num;

import io.tidings.dashboard.lake.LakeDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /api/signals}: issue 21's signals per time bucket (the buckets of {@link
 * TimeseriesQuery}): how many posts had each emotion, and how many of the posts with signals were
 * offensive, hateful or ironic. A post without signals (its columns null: written before them, or
 * scored by a model without those heads) is counted as {@code unscored}, never as "not offensive".
 */
public final class SignalsQuery {
    /**
     * The emotions of the bundled model's head (config {@code tidings.heads.emotion.labels}),
     * always listed, zeros included, so the page's series do not change with the data; any other
     * label found in the lake follows them.
     */
    static final List<String> MODEL_EMOTIONS = List.of("anger", "joy", "optimism", "sadness");

    /** The answer: the bucket size, the emotion labels in series order, the range's totals and each bucket. */
    public record Signals(String bucket, List<String> emotions, Counts totals, List<Point> points) {}

    /**
     * Counts of posts: all of them, those with signals ({@code scored}: any of the four columns
     * set) and those without ({@code unscored}), per emotion, and the three yes/no signals.
     */
    public record Counts(long posts, long scored, long unscored, Map<String, Long> emotions, Flag offensive, Flag hate,
            Flag irony) {}

    /** One bucket; an empty one has zero counts and null shares. */
    public record Point(String t, long posts, long scored, long unscored, Map<String, Long> emotions, Flag offensive,
            Flag hate, Flag irony) {}

    /**
     * A yes/no signal: the posts where it is yes, the posts where it is known ({@code scored}: yes
     * or no), and {@code share} = posts / scored, null (not 0) when none is known.
     */
    public record Flag(long posts, long scored, Double share) {
        static Flag of(long posts, long scored) {
            return new Flag(posts, scored, scored == 0 ? null : (double) posts / scored);
        }
    }

    private final LakeDatabase db;

    SignalsQuery(LakeDatabase db) {
        this.db = db;
    }

    /** {@code bucketName}: minute, hour, day or auto, as for {@code /api/timeseries}. */
    Signals answer(Filters f, String bucketName) throws SQLException {
        Instant[] range = TimeRange.of(db, f);
        if (range == null) {
            String bucket = bucketName == null || bucketName.isBlank() || bucketName.equals("auto") ? "hour" : bucketName;
            return new Signals(bucket, MODEL_EMOTIONS, empty(MODEL_EMOTIONS).counts(), List.of());
        }
        TimeRange.Bucket bucket = TimeRange.Bucket.of(bucketName, range);
        Filters.Condition c = f.on("p");
        // post_signals (LakeDatabase) when the filters need only its columns, as the entity answers read mentions.
        String from = f.fitsMentions()
                ? "post_signals p ANTI JOIN tombstones t ON t.post_id = p.post_id WHERE "
                : "posts p WHERE ";
        List<Map<String, Object>> rows = db.query("SELECT CAST(date_trunc('" + bucket.sqlName() + "', p.created_at) AS TIMESTAMP) AS t,"
                + " p.emotion, count(*) AS posts,"
                + " count_if(p.emotion IS NOT NULL OR p.offensive IS NOT NULL OR p.hate IS NOT NULL OR p.irony IS NOT NULL) AS scored,"
                + " count_if(p.offensive) AS offensive, count(p.offensive) AS offensive_scored,"
                + " count_if(p.hate) AS hate, count(p.hate) AS hate_scored,"
                + " count_if(p.irony) AS irony, count(p.irony) AS irony_scored"
                + " FROM " + from + c.sql() + " GROUP BY 1, 2", c.params());

        TreeSet<String> others = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            Object emotion = r.get("emotion");
            if (emotion != null && !MODEL_EMOTIONS.contains(emotion.toString())) {
                others.add(emotion.toString());
            }
        }
        List<String> emotions = new ArrayList<>(MODEL_EMOTIONS);
        emotions.addAll(others);

        Map<String, Tally> byTime = new LinkedHashMap<>();
        Tally totals = empty(emotions);
        for (Map<String, Object> r : rows) {
            byTime.computeIfAbsent((String) r.get("t"), t -> empty(emotions)).add(r);
            totals.add(r);
        }
        // Every bucket of the range, empty ones as zeros, so a chart's x axis is time and not rows.
        List<Point> points = new ArrayList<>();
        Instant last = bucket.truncate(range[1]);
        for (Instant t = bucket.truncate(range[0]); !t.isAfter(last); t = t.plus(1, bucket.unit)) {
            Tally tally = byTime.getOrDefault(t.toString(), empty(emotions));
            Counts counts = tally.counts();
            points.add(new Point(t.toString(), counts.posts(), counts.scored(), counts.unscored(), counts.emotions(),
                    counts.offensive(), counts.hate(), counts.irony()));
            if (points.size() > TimeseriesQuery.MAX_POINTS) {
                throw ApiException.badRequest("bucket '" + bucket.sqlName() + "' gives more than " + TimeseriesQuery.MAX_POINTS
                        + " points over this range; choose a coarser bucket or a shorter range");
            }
        }
        return new Signals(bucket.sqlName(), emotions, totals.counts(), points);
    }

    private static Tally empty(List<String> emotions) {
        return new Tally(emotions);
    }

    /** Sums of the query's rows (one per bucket and emotion) into a bucket's or the range's counts. */
    private static final class Tally {
        private final Map<String, Long> emotions = new LinkedHashMap<>();
        private long posts;
        private long scored;
        private final long[] flags = new long[6];

        Tally(List<String> labels) {
            labels.forEach(label -> emotions.put(label, 0L));
        }

        void add(Map<String, Object> r) {
            long n = num(r.get("posts"));
            posts += n;
            scored += num(r.get("scored"));
            if (r.get("emotion") != null) {
                emotions.merge(r.get("emotion").toString(), n, Long::sum);
            }
            String[] columns = {"offensive", "offensive_scored", "hate", "hate_scored", "irony", "irony_scored"};
            for (int i = 0; i < columns.length; i++) {
                flags[i] += num(r.get(columns[i]));
            }
        }

        Counts counts() {
            return new Counts(posts, scored, posts - scored, emotions, Flag.of(flags[0], flags[1]), Flag.of(flags[2], flags[3]),
                    Flag.of(flags[4], flags[5]));
        }
    }
}
