package io.tidings.job.lake;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Puts each row in the Hive-style folder {@code dt=YYYY-MM-DD/hour=HH} of its own time (the
 * post's {@code created_at} in UTC), not of the time it was processed: Flink's {@code
 * DateTimeBucketAssigner} would file a replay of last year's posts under today.
 */
public final class HourPartitionAssigner<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter FOLDER =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_FOLDER =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final SerializableFunction<T, Long> epochMillis;
    private final boolean byHour;

    private HourPartitionAssigner(SerializableFunction<T, Long> epochMillis, boolean byHour) {
        this.epochMillis = epochMillis;
        this.byHour = byHour;
    }

    /** {@code dt=YYYY-MM-DD/hour=HH} folders. */
    public static <T> HourPartitionAssigner<T> hourly(SerializableFunction<T, Long> epochMillis) {
        return new HourPartitionAssigner<>(epochMillis, true);
    }

    /** {@code dt=YYYY-MM-DD} folders, for small side outputs such as dead letters. */
    public static <T> HourPartitionAssigner<T> daily(SerializableFunction<T, Long> epochMillis) {
        return new HourPartitionAssigner<>(epochMillis, false);
    }

    @Override
    public String getBucketId(T element, Context context) {
        long millis = epochMillis.apply(element);
        return (byHour ? FOLDER : DAY_FOLDER).format(java.time.Instant.ofEpochMilli(millis));
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return byHour ? "dt=/hour= by record time" : "dt= by record time";
    }
}
