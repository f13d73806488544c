package io.tidings.source.mastodon.source;

import io.tidings.records.RawRecord;
import io.tidings.source.mastodon.enumerator.MastodonEnumerator;
import io.tidings.source.mastodon.enumerator.MastodonEnumeratorState;
import io.tidings.source.mastodon.enumerator.MastodonEnumeratorStateSerializer;
import io.tidings.source.mastodon.reader.MastodonSourceReader;
import io.tidings.source.mastodon.split.MastodonSplit;
import io.tidings.source.mastodon.split.MastodonSplitSerializer;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * One timeline of one Mastodon server as an unbounded Flink source of {@link RawRecord}s: the
 * streaming API's {@code update}, {@code status.update} and {@code delete} events as received, and
 * after a disconnect or a restore the statuses the timeline endpoint shows since the last one (gap
 * fill). Source {@code mastodon:<host>}. One split, one streaming connection: run it with
 * parallelism 1. Build with {@link #builder()}.
 */
@PublicEvolving
public final class MastodonSource implements Source<RawRecord, MastodonSplit, MastodonEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final MastodonSourceConfig config;

    MastodonSource(MastodonSourceConfig config) {
        this.config = config;
    }

    public static MastodonSourceBuilder builder() {
        return new MastodonSourceBuilder();
    }

    public MastodonSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawRecord, MastodonSplit> createReader(SourceReaderContext readerContext) {
        return new MastodonSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<MastodonSplit, MastodonEnumeratorState> createEnumerator(
            SplitEnumeratorContext<MastodonSplit> enumContext) {
        return new MastodonEnumerator(enumContext, MastodonEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<MastodonSplit, MastodonEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<MastodonSplit> enumContext, MastodonEnumeratorState checkpoint) {
        return new MastodonEnumerator(enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<MastodonSplit> getSplitSerializer() {
        return new MastodonSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<MastodonEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new MastodonEnumeratorStateSerializer();
    }
}
