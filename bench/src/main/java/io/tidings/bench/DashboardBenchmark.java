package io.tidings.bench;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.SyntheticLake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dashboard answer times over a synthetic lake in the job's layout (default a million posts,
 * about 1.5 entities each, over 30 days; {@link SyntheticLake}). For each overview endpoint,
 * through the real server and HTTP:
 * <ul>
 *   <li>uncached: the answer computed by DuckDB (the request varies by an ignored parameter so the
 *       answer cache misses; DuckDB's Parquet metadata cache stays warm, as in a running server);</li>
 *   <li>cached: the same request again, answered from the cache until the lake changes.</li>
 * </ul>
 * Prints median and p95 per endpoint. Usage: {@code DashboardBenchmark [POSTS] [LAKE_DIR]} (an
 * existing LAKE_DIR is reused, not rewritten).
 */
public final class DashboardBenchmark {
    private static final int UNCACHED_RUNS = 15;
    private static final int CACHED_RUNS = 50;

    public static void main(String[] args) throws Exception {
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path lake = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tidings-dashboard-bench").resolve("lake");
        if (!Files.isDirectory(lake.resolve("posts"))) {
            long started = System.nanoTime();
            SyntheticLake.write(lake, posts, Instant.parse("2026-11-26T00:00:00Z"), 30, 42);
            System.out.printf("dashboard lake posts=%d written_in_s=%.1f dir=%s%n", posts, (System.nanoTime() - started) / 1e9, lake);
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("overview", "/api/overview");
        endpoints.put("timeseries", "/api/timeseries?bucket=auto");
        endpoints.put("entities", "/api/entities?limit=20");
        endpoints.put("terms", "/api/terms?kind=hashtag&limit=20");
        endpoints.put("posts", "/api/posts?limit=50");
        endpoints.put("health", "/api/health");
        endpoints.put("overview_7d_x", "/api/overview?from=2026-11-19&platform=x");
        endpoints.put("posts_engagement", "/api/posts?sort=engagement&limit=50");
        endpoints.put("entity", "/api/entity?text=Entity0");
        endpoints.put("trending", "/api/trending?limit=15");
        endpoints.put("trending_hashtags", "/api/trending?kind=hashtag&limit=15");
        endpoints.put("trending_terms", "/api/trending?kind=term&limit=15");
        endpoints.put("trending_x_4h", "/api/trending?platform=x&window=4h&limit=15");
        endpoints.put("lake_version", "/api/lake-version");
        HttpClient client = HttpClient.newHttpClient();
        long starting = System.nanoTime();
        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            // Start-up loads the lake's tables into the dashboard's DuckDB.
            System.out.printf("dashboard start_ms=%d%n", (System.nanoTime() - starting) / 1_000_000);
            URI base = dashboard.url();
            // First contact: DuckDB reads the Parquet footers once (its object cache keeps them).
            long first = timeMillis(client, base.resolve("/api/overview?first=1"));
            System.out.printf("dashboard first_request_ms=%d cores=%d%n", first, Runtime.getRuntime().availableProcessors());
            for (Map.Entry<String, String> e : endpoints.entrySet()) {
                String path = e.getValue();
                String sep = path.contains("?") ? "&" : "?";
                List<Long> uncached = new ArrayList<>();
                for (int i = 0; i < UNCACHED_RUNS; i++) {
                    uncached.add(timeMillis(client, base.resolve(path + sep + "bench_run=" + i)));
                }
                List<Long> cached = new ArrayList<>();
                for (int i = 0; i < CACHED_RUNS; i++) {
                    cached.add(timeMillis(client, base.resolve(path)));
                }
                System.out.printf("dashboard endpoint=%s posts=%d uncached_median_ms=%d uncached_p95_ms=%d cached_median_ms=%d"
                        + " cached_p95_ms=%d%n", e.getKey(), posts, percentile(uncached, 50), percentile(uncached, 95),
                        percentile(cached, 50), percentile(cached, 95));
            }
        }
    }

    private static long timeMillis(HttpClient client, URI uri) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        long took = (System.nanoTime() - started) / 1_000_000;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " → " + response.statusCode() + " " + response.body());
        }
        return took;
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
