package io.tidings.source.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceOutput;

/** A reader output that keeps what it is given. */
public final class CollectingOutput<T> implements ReaderOutput<T> {
    public final List<T> records = new ArrayList<>();

    @Override
    public void collect(T record) {
        records.add(record);
    }

    @Override
    public void collect(T record, long timestamp) {
        records.add(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}

    /** Polls {@code reader} (waiting while it has nothing) until this output holds {@code n} records. */
    public void pollUntil(SourceReader<T, ?> reader, int n, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (records.size() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + n + " records, got " + records);
            }
            reader.isAvailable().get();
            reader.pollNext(this);
        }
    }
}
