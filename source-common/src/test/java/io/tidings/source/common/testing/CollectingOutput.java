package io.tidings.source.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /**
     * Polls {@code reader} (waiting while it has nothing) until this output holds {@code n} records;
     * fails when they do not come within {@code timeout}.
     */
    public void pollUntil(SourceReader<T, ?> reader, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < n) {
            if (!awaitAvailable(reader, deadline)) {
                throw new AssertionError("expected " + n + " records within " + timeout + ", got " + records.size()
                        + ": " + records);
            }
            reader.pollNext(this);
        }
    }

    /** Polls {@code reader} for {@code duration}, keeping whatever it emits meanwhile (e.g. to see that nothing more comes). */
    public void pollFor(SourceReader<T, ?> reader, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        while (awaitAvailable(reader, deadline)) {
            reader.pollNext(this);
        }
    }

    /** Whether the reader has something (or a failure to throw from pollNext) before {@code deadline} (nanoTime). */
    private static boolean awaitAvailable(SourceReader<?, ?> reader, long deadline) throws Exception {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            reader.isAvailable().get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
