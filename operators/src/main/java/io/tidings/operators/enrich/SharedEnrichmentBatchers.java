package io.tidings.operators.enrich;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@link EnrichmentBatcher} (and so one loaded model) per JVM and settings, shared by every
 * parallel instance of the enrichment operator in that JVM (a TaskManager's slots, or the whole
 * local MiniCluster). Sharing keeps one copy of the model's weights in memory and lets posts from
 * all slots fill the same batches. Reference counted: the last operator to close releases it.
 */
public final class SharedEnrichmentBatchers {
    private SharedEnrichmentBatchers() {}

    /** Builds the enricher a batcher runs; serializable so operators can carry it to the cluster. */
    @FunctionalInterface
    public interface EnricherFactory extends java.io.Serializable {
        BatchEnricher create(EnrichmentSettings settings) throws Exception;
    }

    private static final Map<EnrichmentSettings, Entry> SHARED = new HashMap<>();

    public static synchronized EnrichmentBatcher acquire(EnrichmentSettings settings, EnricherFactory factory)
            throws Exception {
        Entry entry = SHARED.get(settings);
        if (entry == null) {
            BatchEnricher enricher = factory.create(settings);
            entry = new Entry(new EnrichmentBatcher(
                    enricher, settings.gatherSize(), settings.maxWaitMillis(), settings.workerThreads()), enricher);
            SHARED.put(settings, entry);
        }
        entry.users++;
        return entry.batcher;
    }

    public static synchronized void release(EnrichmentSettings settings) throws Exception {
        Entry entry = SHARED.get(settings);
        if (entry == null) {
            return;
        }
        if (--entry.users == 0) {
            SHARED.remove(settings);
            entry.batcher.close();
            if (entry.enricher instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static final class Entry {
        final EnrichmentBatcher batcher;
        final BatchEnricher enricher;
        int users;

        Entry(EnrichmentBatcher batcher, BatchEnricher enricher) {
            this.batcher = batcher;
            this.enricher = enricher;
        }
    }
}
