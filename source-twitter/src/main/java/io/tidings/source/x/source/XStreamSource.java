package io.tidings.source.x.source;

import io.tidings.records.RawRecord;
import io.tidings.source.x.enumerator.XEnumeratorState;
import io.tidings.source.x.enumerator.XEnumeratorStateSerializer;
import io.tidings.source.x.enumerator.XStreamEnumerator;
import io.tidings.source.x.reader.XStreamSourceReader;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.source.x.split.XStreamSplitSerializer;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The X API v2 filtered stream (or recent-search polling) as an unbounded Flink source of {@link
 * RawRecord}s, one per post: source {@code x-stream} (or {@code x-search} for gap fill and
 * polling), position {@code tweet <id>}, matched rule tags. One split, one connection: run it with
 * parallelism 1. Build with {@link #builder()}.
 */
@PublicEvolving
public final class XStreamSource implements Source<RawRecord, XStreamSplit, XEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final XStreamSourceConfig config;

    XStreamSource(XStreamSourceConfig config) {
        this.config = config;
    }

    public static XStreamSourceBuilder builder() {
        return new XStreamSourceBuilder();
    }

    public XStreamSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, XStreamSplit> createReader(SourceReaderContext readerContext) {
        return new XStreamSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<XStreamSplit, XEnumeratorState> createEnumerator(
            SplitEnumeratorContext<XStreamSplit> enumContext) {
        return new XStreamEnumerator(enumContext, XEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<XStreamSplit, XEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<XStreamSplit> enumContext, XEnumeratorState checkpoint) {
        return new XStreamEnumerator(enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<XStreamSplit> getSplitSerializer() {
        return new XStreamSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<XEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new XEnumeratorStateSerializer();
    }
}
