package io.tidings.bench;

import io.tidings.models.LanguageIdentifier;
import io.tidings.models.ModelLocation;
import io.tidings.models.ParityCheck;
import io.tidings.models.PostEnricher;
import io.tidings.models.TweetModel;
import io.tidings.records.Post;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Enrichment alone, without Flink: posts/s of language identification, of the model, and of the
 * full enrichment (language + sentiment + entities) on real tweet texts, for a given number of
 * worker threads each calling the shared model with batches of {@code BATCH} (default
 * {@value TweetModel#DEFAULT_BATCH_SIZE}) and {@code modelThreads} ONNX Runtime threads.
 * Usage: {@code EnrichmentBenchmark [MODEL] [POSTS] [WORKERS] [MODEL_THREADS] [BATCH]}.
 */
public final class EnrichmentBenchmark {
    public static void main(String[] args) throws Exception {
        String location = args.length > 0 ? args[0] : "classpath:tweet-multitask";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int modelThreads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : TweetModel.DEFAULT_BATCH_SIZE;
        List<String> texts = EndToEndBenchmark.texts().subList(0, count);

        long loadStart = System.nanoTime();
        TweetModel model = TweetModel.load(ModelLocation.parse(location), modelThreads, batchSize);
        LanguageIdentifier languages = LanguageIdentifier.shared();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        PostEnricher enricher = new PostEnricher(model, languages);
        // Figures mean something only for a model that gives, on this CPU, what its exporter measured
        // (int8 kernels differ between CPUs): the same check as `bin/tidings eval`, printed first.
        if (Files.isRegularFile(model.directory().resolve("parity.json"))) {
            ParityCheck.Result parity = ParityCheck.check(model);
            System.out.printf("parity model=%s cpu=\"%s\" cases=%d logits=%d problems=%d%s%n", model.config().nameAndVersion(),
                    cpuModel(), parity.cases(), parity.logitsCompared(), parity.problems().size(),
                    parity.passed() ? "" : " " + String.join("; ", parity.problems()));
        }

        Work language = slice -> slice.forEach(languages::identify);
        Work modelOnly = model::predict;
        Work full = slice -> enricher.enrich(posts(slice));
        // One untimed round of each first: Lingua's Java code needs a few thousand texts before the JIT has
        // compiled it (a first round reads at about half the steady rate), and the figures are steady-state ones.
        for (Work work : List.of(language, modelOnly, full)) {
            rate(count, workers, work, texts);
        }
        double languageRate = rate(count, workers, language, texts);
        double modelRate = rate(count, workers, modelOnly, texts);
        double modelCpu = lastCpuMsPerPost;
        double fullRate = rate(count, workers, full, texts);
        double fullCpu = lastCpuMsPerPost;
        // CPU milliseconds per post: what a post costs whatever else the machine runs (wall-clock rates fall
        // on a shared machine); on N cores of its own the job can reach about N * 1000 / that.
        System.out.printf("enrichment model=%s provider=%s posts=%d workers=%d model_threads=%d batch=%d load_s=%.1f language_per_s=%.0f"
                        + " model_per_s=%.0f full_per_s=%.0f model_cpu_ms_per_post=%.3f full_cpu_ms_per_post=%.3f"
                        + " heap_used_mb=%d peak_rss_mb=%d%n",
                model.config().nameAndVersion(), model.executionProvider(), count, workers, modelThreads, batchSize, loadSeconds, languageRate, modelRate,
                fullRate, modelCpu, fullCpu, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                EndToEndBenchmark.peakRssMb());
        model.close();
    }

    /** Posts per call, as the job's batcher gathers them (the model sorts them by length into batches). */
    static final int SLICE = Integer.getInteger("slice", 256);

    interface Work {
        void run(List<String> slice) throws Exception;
    }

    /** Posts per second when {@code workers} threads each take {@link #SLICE} posts at a time off the list. */
    static double rate(int count, int workers, Work work, List<String> texts) throws Exception {
        return rate(count, workers, SLICE, work, texts);
    }

    /** The process's CPU time per post in the last {@link #rate} call, in milliseconds (all its threads). */
    static double lastCpuMsPerPost;

    /** The same with {@code sliceSize} posts per call. */
    static double rate(int count, int workers, int sliceSize, Work work, List<String> texts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long cpuStart = EndToEndBenchmark.processCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int from = 0; from < count; from += sliceSize) {
            List<String> slice = texts.subList(from, Math.min(count, from + sliceSize));
            done.add(pool.submit(() -> {
                work.run(slice);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        lastCpuMsPerPost = (EndToEndBenchmark.processCpuNanos() - cpuStart) / 1e6 / count;
        pool.shutdown();
        return count / seconds;
    }

    static List<Post> posts(List<String> texts) {
        List<Post> posts = new ArrayList<>(texts.size());
        for (String text : texts) {
            Post p = new Post();
            p.text = text;
            p.lang = "en";
            posts.add(p);
        }
        return posts;
    }

    /** The CPU's model name (Linux), so a figure says which machine made it. */
    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
