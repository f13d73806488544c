package io.tidings.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import io.tidings.models.TweetModel;
import io.tidings.operators.enrich.EnrichmentSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * End-to-end throughput: a file of real tweet texts → normalize → de-duplicate → language,
 * sentiment and entities → Parquet committed to a local lake, on a local MiniCluster. Prints
 * posts/s over the whole run (wall clock, including the MiniCluster start and the final commit),
 * the steady state (from the first post written to the end: start-up excluded), the start-up
 * itself, the CPU the process used (cores busy on average) and its peak RSS. Run one parallelism
 * per JVM (bench/run-e2e.sh) so the RSS and CPU figures are that run's own.
 *
 * <p>Texts come from the SemEval tweets in {@code ../shared/datasets/sentiment} when present
 * (real lengths, emoji, URLs), else from the demo sample.
 */
public final class EndToEndBenchmark {
    public static void main(String[] args) throws Exception {
        int parallelism = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int posts = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        // Model workers of this one JVM (the job's --model-workers): on a machine of N cores of its own, N
        // (bench/run-scaling.sh gives a run of parallelism p p cores and p workers, as p KPUs would have).
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : EnrichmentSettings.defaults().workerThreads();
        Path work = Files.createTempDirectory("tidings-bench");
        Path input = writeInput(work.resolve("posts.jsonl.gz"), posts);

        JobSettings settings = JobSettings.builder()
                .files(List.of(input.toString()))
                .lake(work.resolve("lake").toString())
                .checkpointDir(work.resolve("checkpoints").toString())
                .checkpointInterval(Duration.ofSeconds(10))
                .parallelism(parallelism)
                .enrichment(new EnrichmentSettings(EnrichmentSettings.BUNDLED_MODEL, 1, workers,
                        TweetModel.DEFAULT_BATCH_SIZE, 20))
                .build();

        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        LocalRunner.Summary summary = new LocalRunner(settings, null).launchedAt(System.currentTimeMillis()).run();
        double cores = (processCpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
        double startUp = summary.startUp() == null ? Double.NaN : summary.startUp().toMillis() / 1000.0;
        double steadySeconds = summary.took().toMillis() / 1000.0 - startUp;
        System.out.printf("e2e parallelism=%d model_workers=%d posts=%d written=%d scored=%d seconds=%.1f posts_per_s=%.0f startup_s=%.1f"
                        + " steady_posts_per_s=%.0f cpu_cores_busy=%.2f peak_rss_mb=%d cores=%d%n", parallelism, workers, posts,
                summary.written(), summary.scored(), summary.took().toMillis() / 1000.0, summary.postsPerSecond(), startUp,
                summary.written() / steadySeconds, cores, peakRssMb(), Runtime.getRuntime().availableProcessors());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path writeInput(Path file, int count) throws IOException {
        List<String> texts = texts();
        long base = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            for (int i = 0; i < count; i++) {
                String text = texts.get(i % texts.size());
                Map<String, String> post = new LinkedHashMap<>();
                post.put("id", "b" + i);
                post.put("created_at", Instant.ofEpochMilli(base + i * 1000L).toString());
                post.put("author_handle", "u" + (i % 997));
                post.put("text", text);
                out.write(JSON.writeValueAsString(post));
                out.write('\n');
            }
        }
        return file;
    }

    /**
     * The SemEval sentiment tweets of {@code shared/datasets/sentiment} (50,000 real texts): from
     * {@code $TIDINGS_SHARED} (as models/training reads it), else the {@code shared} folder beside the
     * checkout or beside the repository's parent. None there is an error that says so: the
     * benchmarks' figures mean something only on real tweets (a red-team finding: a clone elsewhere
     * fell back to four texts and failed with an IndexOutOfBoundsException).
     */
    static List<String> texts() throws IOException {
        String env = System.getenv("TIDINGS_SHARED");
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env, "datasets", "sentiment"));
        }
        candidates.add(Path.of("..", "shared", "datasets", "sentiment"));
        candidates.add(Path.of("..", "..", "shared", "datasets", "sentiment"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                List<String> texts = new ArrayList<>();
                try (Stream<Path> files = Files.list(candidate)) {
                    for (Path f : files.sorted().toList()) {
                        for (String line : Files.readAllLines(f)) {
                            String[] cols = line.split("\t", 3);
                            if (cols.length == 3) {
                                texts.add(cols[2]);
                            }
                        }
                    }
                }
                return texts;
            }
        }
        throw new IllegalStateException("no tweet texts to measure with: none of " + candidates.stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + " is a folder; set TIDINGS_SHARED to the shared folder (the one with datasets/sentiment)");
    }

    /** CPU time this process has used, all threads, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Peak resident set size of this process (Linux), in MiB; -1 where /proc is not there. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
