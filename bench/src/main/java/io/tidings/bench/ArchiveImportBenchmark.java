package io.tidings.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.athena.LakeLayout;
import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Importing a research archive: posts spread over years (in time order, as collections are, or
 * shuffled), through the whole job into a local lake, in the JVM the launcher would start
 * ({@code -Xmx3g}, bench/run-import-archive.sh). Prints posts/s, peak RSS, the Parquet files
 * written, and checks that the lake holds every post once.
 *
 * <p>Args: POSTS YEARS LAYOUT(hour|day) ORDER(time|random) [MAX_OPEN_PARTITIONS].
 */
public final class ArchiveImportBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int years = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        LakeLayout layout = LakeLayout.parse(args.length > 2 ? args[2] : "day");
        boolean timeOrder = !(args.length > 3 && args[3].equals("random"));
        Path work = Files.createTempDirectory("tidings-archive-bench");
        Path input = writeArchive(work.resolve("archive.jsonl.gz"), posts, years, timeOrder);

        JobSettings.Builder builder = JobSettings.builder()
                .files(List.of(input.toString()))
                .lake(work.resolve("lake").toString())
                .checkpointDir(work.resolve("checkpoints").toString())
                .partition(layout)
                // The launcher's defaults: what `bin/tidings import FILE --partition day` runs with.
                .checkpointInterval(Duration.ofSeconds(60))
                .parallelism(2);
        if (args.length > 4) {
            builder.maxOpenPartitions(Integer.parseInt(args[4]));
        }
        JobSettings settings = builder.build();

        LocalRunner.Summary summary = new LocalRunner(settings, null).run();
        Path lake = work.resolve("lake");
        long[] landed = landed(lake, layout);
        System.out.printf("archive posts=%d years=%d order=%s partition=%s written=%d distinct_in_lake=%d rows_in_lake=%d"
                        + " dead_letters=%d seconds=%.1f posts_per_s=%.0f peak_rss_mb=%d post_files=%d entity_files=%d"
                        + " partitions=%d max_open_partitions=%d cores=%d%n", posts, years, timeOrder ? "time" : "random", layout.optionName(),
                summary.written(), landed[1], landed[0], summary.deadLetters(), summary.took().toMillis() / 1000.0,
                summary.postsPerSecond(), EndToEndBenchmark.peakRssMb(), parquetFiles(lake.resolve("posts")),
                parquetFiles(lake.resolve("entities")), partitions(lake.resolve("posts")), settings.maxOpenPartitions(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Posts of the benchmark's texts, times spread over the years (sorted when in time order). */
    private static Path writeArchive(Path file, int count, int years, boolean timeOrder) throws IOException {
        List<String> texts = EndToEndBenchmark.texts();
        Random random = new Random(42);
        long start = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        long[] times = random.longs(count, start, start + Duration.ofDays(365L * years).toMillis()).toArray();
        if (timeOrder) {
            java.util.Arrays.sort(times);
        }
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            for (int i = 0; i < count; i++) {
                Map<String, String> post = new LinkedHashMap<>();
                post.put("id", "a" + i);
                post.put("created_at", Instant.ofEpochMilli(times[i] / 1000 * 1000).toString());
                post.put("author_handle", "u" + (i % 997));
                post.put("text", texts.get(i % texts.size()));
                out.write(JSON.writeValueAsString(post));
                out.write('\n');
            }
        }
        return file;
    }

    /** Rows and distinct post ids in the lake's posts, read with plain DuckDB. */
    private static long[] landed(Path lake, LakeLayout layout) throws Exception {
        String glob = layout.glob(lake.resolve("posts"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT post_id) FROM read_parquet('" + glob + "')")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static long parquetFiles(Path table) throws IOException {
        if (!Files.isDirectory(table)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
    }

    /** Folders holding Parquet files: the partitions written. */
    private static long partitions(Path table) throws IOException {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).map(Path::getParent).distinct().count();
        }
    }
}
