package io.tidings.source.bluesky.source;

import io.tidings.records.RawRecord;
import io.tidings.source.bluesky.enumerator.JetstreamEnumerator;
import io.tidings.source.bluesky.enumerator.JetstreamEnumeratorState;
import io.tidings.source.bluesky.enumerator.JetstreamEnumeratorStateSerializer;
import io.tidings.source.bluesky.reader.JetstreamSourceReader;
import io.tidings.source.bluesky.split.JetstreamSplit;
import io.tidings.source.bluesky.split.JetstreamSplitSerializer;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Bluesky posts through Jetstream as an unbounded Flink source of {@link RawRecord}s, one per
 * Jetstream event: source {@code bluesky-jetstream:<host>}, position {@code time_us <n>}, the names
 * of the keyword filters the post matched. One split, one WebSocket subscription: run it with
 * parallelism 1. Build with {@link #builder()}.
 */
@PublicEvolving
public final class JetstreamSource implements Source<RawRecord, JetstreamSplit, JetstreamEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final JetstreamSourceConfig config;

    JetstreamSource(JetstreamSourceConfig config) {
        this.config = config;
    }

    public static JetstreamSourceBuilder builder() {
        return new JetstreamSourceBuilder();
    }

    public JetstreamSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, JetstreamSplit> createReader(SourceReaderContext readerContext) {
        return new JetstreamSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<JetstreamSplit, JetstreamEnumeratorState> createEnumerator(
            SplitEnumeratorContext<JetstreamSplit> enumContext) {
        return new JetstreamEnumerator(enumContext, JetstreamEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<JetstreamSplit, JetstreamEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<JetstreamSplit> enumContext, JetstreamEnumeratorState checkpoint) {
        return new JetstreamEnumerator(enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<JetstreamSplit> getSplitSerializer() {
        return new JetstreamSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<JetstreamEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new JetstreamEnumeratorStateSerializer();
    }
}
