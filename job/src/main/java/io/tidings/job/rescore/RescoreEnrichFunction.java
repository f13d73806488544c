package io.tidings.job.rescore;

import io.tidings.operators.enrich.EnrichmentBatcher;
import io.tidings.operators.enrich.EnrichmentSettings;
import io.tidings.operators.enrich.SharedEnrichmentBatchers;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The import's enrichment ({@code EnrichPostsFunction}: the JVM's shared batcher, the same model
 * and batching) for rescore candidates: each is scored with the new model, except those left
 * alone, which pass at once. Flink's async operator checkpoints the candidates in flight.
 */
public class RescoreEnrichFunction extends RichAsyncFunction<RescoreCandidate, RescoreCandidate> {
    private static final long serialVersionUID = 1L;

    private final EnrichmentSettings settings;
    private final SharedEnrichmentBatchers.EnricherFactory factory;
    private transient EnrichmentBatcher batcher;

    public RescoreEnrichFunction(EnrichmentSettings settings, SharedEnrichmentBatchers.EnricherFactory factory) {
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        batcher = SharedEnrichmentBatchers.acquire(settings, factory);
    }

    @Override
    public void asyncInvoke(RescoreCandidate candidate, ResultFuture<RescoreCandidate> result) {
        if (candidate.leftAlone) {
            result.complete(List.of(candidate));
            return;
        }
        batcher.submit(candidate.post).whenComplete((enriched, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                candidate.post = enriched;
                result.complete(List.of(candidate));
            }
        });
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher = null;
            SharedEnrichmentBatchers.release(settings);
        }
    }
}
