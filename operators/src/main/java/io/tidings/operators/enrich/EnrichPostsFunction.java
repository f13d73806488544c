package io.tidings.operators.enrich;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The enrichment step as a Flink async function: each post is handed to the JVM's shared {@link
 * EnrichmentBatcher} and comes back scored. Flink's async operator checkpoints the posts still in
 * flight and re-submits them after a restore, so batching loses nothing across failures.
 */
public class EnrichPostsFunction extends RichAsyncFunction<Post, Post> {
    private static final long serialVersionUID = 1L;

    private final EnrichmentSettings settings;
    private final SharedEnrichmentBatchers.EnricherFactory factory;
    private transient EnrichmentBatcher batcher;

    public EnrichPostsFunction(EnrichmentSettings settings, SharedEnrichmentBatchers.EnricherFactory factory) {
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        batcher = SharedEnrichmentBatchers.acquire(settings, factory);
        // The batcher is shared by the JVM's subtasks, so these gauges show JVM-wide figures.
        EnrichmentBatcher shared = batcher;
        getRuntimeContext().getMetricGroup().gauge(JobCounters.ENRICH_FAILURES, (Gauge<Long>) shared::failures);
        getRuntimeContext().getMetricGroup().gauge("averageBatchSize", (Gauge<Double>) shared::averageBatchSize);
    }

    @Override
    public void asyncInvoke(Post post, ResultFuture<Post> result) {
        batcher.submit(post).whenComplete((enriched, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(List.of(enriched));
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
