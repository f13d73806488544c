package io.tidings.source.common.testing;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A source exactly as {@code delegate} is (its enumerator, its reader, its checkpoints), whose records
 * pass through {@code map} on their way out. For the connector testing framework, which compares what
 * a source emits with the test data by {@code equals}: the sources emit {@code RawRecord}s, which
 * carry when they were received, so the suites compare the bytes as received instead.
 */
public final class MappedSource<A, B, SplitT extends SourceSplit, EnumT>
        implements Source<B, SplitT, EnumT>, ResultTypeQueryable<B> {
    private static final long serialVersionUID = 1L;

    private final Source<A, SplitT, EnumT> delegate;
    private final SerializableFunction<A, B> map;
    private final TypeInformation<B> type;

    public MappedSource(Source<A, SplitT, EnumT> delegate, SerializableFunction<A, B> map, TypeInformation<B> type) {
        this.delegate = delegate;
        this.map = map;
        this.type = type;
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SplitEnumerator<SplitT, EnumT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, EnumT> restoreEnumerator(SplitEnumeratorContext<SplitT> context, EnumT checkpoint)
            throws Exception {
        return delegate.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumT> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public SourceReader<B, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new MappedReader(delegate.createReader(context));
    }

    @Override
    public TypeInformation<B> getProducedType() {
        return type;
    }

    private final class MappedReader implements SourceReader<B, SplitT> {
        private final SourceReader<A, SplitT> reader;
        private ReaderOutput<B> lastOutput;
        private MappedOutput mapped;

        MappedReader(SourceReader<A, SplitT> reader) {
            this.reader = reader;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<B> output) throws Exception {
            if (output != lastOutput) {
                lastOutput = output;
                mapped = new MappedOutput(output);
            }
            return reader.pollNext(mapped);
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return reader.isAvailable();
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent sourceEvent) {
            reader.handleSourceEvents(sourceEvent);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
            reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }

    private class MappedSourceOutput implements SourceOutput<A> {
        private final SourceOutput<B> out;

        MappedSourceOutput(SourceOutput<B> out) {
            this.out = out;
        }

        @Override
        public void collect(A record) {
            out.collect(map.apply(record));
        }

        @Override
        public void collect(A record, long timestamp) {
            out.collect(map.apply(record), timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            out.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            out.markIdle();
        }

        @Override
        public void markActive() {
            out.markActive();
        }
    }

    private final class MappedOutput extends MappedSourceOutput implements ReaderOutput<A> {
        private final ReaderOutput<B> out;

        MappedOutput(ReaderOutput<B> out) {
            super(out);
            this.out = out;
        }

        @Override
        public SourceOutput<A> createOutputForSplit(String splitId) {
            return new MappedSourceOutput(out.createOutputForSplit(splitId));
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            out.releaseOutputForSplit(splitId);
        }
    }
}
