package io.tidings.operators.enrich;

import io.tidings.models.LanguageIdentifier;
import io.tidings.models.ModelLocation;
import io.tidings.models.PostEnricher;
import io.tidings.models.SharedModels;
import io.tidings.records.Post;
import java.util.List;

/**
 * Binds the enrichment operator to the models module: the JVM's shared model for the configured
 * location and thread count, and the shared language identifier.
 */
public final class ModelEnricherFactory implements SharedEnrichmentBatchers.EnricherFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public BatchEnricher create(EnrichmentSettings settings) {
        SharedModels.Lease lease = SharedModels.acquire(
                ModelLocation.parse(settings.modelLocation()), settings.modelThreads(), settings.batchSize());
        return new LeasedEnricher(new PostEnricher(lease.model(), LanguageIdentifier.shared()), lease);
    }

    /** A post enricher that gives its model lease back when the batcher closes. */
    private record LeasedEnricher(PostEnricher enricher, SharedModels.Lease lease) implements BatchEnricher, AutoCloseable {
        @Override
        public void enrich(List<Post> posts) {
            enricher.enrich(posts);
        }

        @Override
        public void close() {
            lease.close();
        }
    }
}
