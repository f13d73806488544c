package io.tidings.job.lake;

import io.tidings.athena.LakeLayout;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Puts each row in the Hive-style folder of its own time (the post's {@code created_at} in UTC),
 * {@code dt=YYYY-MM-DD/hour=HH} or {@code dt=YYYY-MM-DD} as the lake's {@link LakeLayout} says,
 * not of the time it was processed: Flink's {@code DateTimeBucketAssigner} would file a replay of
 * last year's posts under today.
 */
public final class TimePartitionAssigner<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, Long> epochMillis;
    private final String pattern;
    private transient DateTimeFormatter folder;

    private TimePartitionAssigner(SerializableFunction<T, Long> epochMillis, String pattern) {
        this.epochMillis = epochMillis;
        this.pattern = pattern;
    }

    /** Folders of the lake's layout. */
    public static <T> TimePartitionAssigner<T> of(LakeLayout layout, SerializableFunction<T, Long> epochMillis) {
        return new TimePartitionAssigner<>(epochMillis, layout.folderPattern());
    }

    /**
     * Folders of the lake's layout by a row's partition time column ({@code LakeTables.Table#partitionTime}:
     * a timestamp, which the lake's Avro schemas hold as a long of epoch milliseconds). The one place a
     * row's time is read by the column's name.
     */
    public static TimePartitionAssigner<GenericRecord> byColumn(LakeLayout layout, String column) {
        return of(layout, row -> {
            if (!(row.get(column) instanceof Long millis)) {
                throw new IllegalStateException("a " + row.getSchema().getName() + " row without its partition time "
                        + column + ": " + row.get(column));
            }
            return millis;
        });
    }

    /** {@code dt=YYYY-MM-DD} folders, for small side outputs such as dead letters. */
    public static <T> TimePartitionAssigner<T> daily(SerializableFunction<T, Long> epochMillis) {
        return of(LakeLayout.DAY, epochMillis);
    }

    @Override
    public String getBucketId(T element, Context context) {
        if (folder == null) {
            folder = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        }
        return folder.format(Instant.ofEpochMilli(epochMillis.apply(element)));
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return pattern.replace("'", "") + " by record time";
    }
}
