package io.tidings.operators.enrich;

import io.tidings.models.TweetModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How posts are enriched: which model, how many threads, how large the batches. Equal settings
 * share one model and one batcher per JVM (see {@link SharedEnrichmentBatchers}).
 *
 * @param modelLocation {@code classpath:tweet-multitask} (bundled), a directory (e.g. an EFS
 *     mount), or {@code s3://bucket/prefix}
 * @param modelThreads ONNX Runtime intra-op threads per model call
 * @param workerThreads model calls running at once in this JVM
 * @param batchSize most posts per ONNX Runtime call; a worker gathers {@link #gatherSize()} posts
 *     at a time so the model can sort them by length into batches of similar lengths
 * @param maxWaitMillis how long a worker waits to fill a batch
 */
public record EnrichmentSettings(
        String modelLocation, int modelThreads, int workerThreads, int batchSize, long maxWaitMillis)
        implements Serializable {

    public static final String BUNDLED_MODEL = "classpath:tweet-multitask";

    /** Posts a worker gathers for one model call when batches are smaller (see {@link #gatherSize()}). */
    public static final int GATHER_POSTS = 256;

    /**
     * @throws IllegalArgumentException naming each value out of range and the value given, one per
     *     line (from the parameters: in a compact constructor {@code this} has no fields yet)
     */
    public EnrichmentSettings {
        Objects.requireNonNull(modelLocation, "modelLocation");
        List<String> problems = new ArrayList<>();
        atLeast(problems, "model threads", modelThreads, 1);
        atLeast(problems, "worker threads", workerThreads, 1);
        atLeast(problems, "batch size", batchSize, 1);
        atLeast(problems, "max wait (ms)", maxWaitMillis, 0);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    private static void atLeast(List<String> problems, String what, long value, long least) {
        if (value < least) {
            problems.add(what + " must be >= " + least + ", got " + value);
        }
    }

    /**
     * Posts a worker hands to the model at once: {@link #GATHER_POSTS}, or one batch if that is
     * larger. Several batches' worth, because the model pads each batch to its longest text and
     * sorting a larger group by length first wastes less on padding (measured: 148 instead of 115
     * posts/s for the bundled model on 2 cores).
     */
    public int gatherSize() {
        return Math.max(GATHER_POSTS, batchSize);
    }

    /**
     * The bundled model, two single-threaded workers (best throughput on a 2-core machine), batches
     * of {@value TweetModel#DEFAULT_BATCH_SIZE}.
     */
    public static EnrichmentSettings defaults() {
        return new EnrichmentSettings(BUNDLED_MODEL, 1, 2, TweetModel.DEFAULT_BATCH_SIZE, 20);
    }
}
