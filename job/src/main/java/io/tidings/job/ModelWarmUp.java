package io.tidings.job;

import io.tidings.models.LanguageIdentifier;
import io.tidings.models.ModelLocation;
import io.tidings.models.SharedModels;
import io.tidings.operators.enrich.EnrichmentSettings;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the model and the language identifier of a local run while the local cluster starts, so
 * the first posts find them loaded instead of waiting for them (the local cluster, the ONNX model
 * and Lingua's language models each take about a second; one after the other they were most of a
 * short import's time). Possible because a local run's operators live in this JVM and take the
 * model from {@link SharedModels} with the same key; the lease taken here keeps it loaded until the
 * run ends. A failure here is only logged: the operator loads the model again and reports it.
 */
final class ModelWarmUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWarmUp.class);

    private final CompletableFuture<SharedModels.Lease> model;

    private ModelWarmUp(CompletableFuture<SharedModels.Lease> model) {
        this.model = model;
    }

    /** Starts loading both on threads of their own and returns at once. */
    static ModelWarmUp start(EnrichmentSettings settings) {
        CompletableFuture<SharedModels.Lease> model = new CompletableFuture<>();
        daemon("tidings-model-warm-up", () -> {
            try {
                model.complete(SharedModels.acquire(ModelLocation.parse(settings.modelLocation()), settings.modelThreads(),
                        settings.batchSize()));
            } catch (RuntimeException | LinkageError e) {
                LOG.info("loading the model ahead of the job failed; the job will load it itself: {}", e.toString());
                model.complete(null);
            }
        });
        daemon("tidings-languages-warm-up", () -> {
            try {
                LanguageIdentifier.shared();
            } catch (RuntimeException | LinkageError e) {
                LOG.info("loading the language models ahead of the job failed: {}", e.toString());
            }
        });
        return new ModelWarmUp(model);
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Gives the lease back once the loading is over (the job's own leases keep the model while it runs). */
    @Override
    public void close() {
        model.thenAccept(lease -> {
            if (lease != null) {
                lease.close();
            }
        });
    }
}
