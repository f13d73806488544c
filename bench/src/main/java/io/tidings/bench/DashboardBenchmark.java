package io.tidings.bench;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import io.tidings.dashboard.lake.LakeDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Dashboard answer times over a synthetic lake in the job's layout (default a million posts,
 * about 1.5 entities each, over 30 days; {@link SyntheticLake}), through the real server and HTTP:
 * <ul>
 *   <li>start-up: loading the lake into the dashboard's DuckDB file (kept in a cache folder next to
 *       the lake, so a second run over the same lake starts from it);</li>
 *   <li>one client, uncached: each endpoint's answer computed by DuckDB (the request varies by an
 *       ignored parameter so the answer cache misses), median and p95;</li>
 *   <li>20 concurrent clients, each asking every endpoint in turn as pages do (five filter variants
 *       between them, so answers are computed and then served from the cache), per endpoint p50,
 *       p95, p99 and max, first with a steady lake, then while a commit of new files lands: how
 *       many seconds until {@code /api/lake-version} shows it, and the answer times around it;</li>
 *   <li>the server's resident memory (it runs in a JVM of its own, with {@code bin/tidings serve}'s
 *       options; the clients run in this one) and the database's size.</li>
 * </ul>
 * Prints figures, asserts nothing. Usage: {@code DashboardBenchmark [POSTS] [LAKE_DIR] [CLIENTS] [SECONDS]}
 * (an existing LAKE_DIR is reused, not rewritten).
 */
public final class DashboardBenchmark {
    private static final int UNCACHED_RUNS = 7;
    private static final Instant END = Instant.parse("2026-11-26T00:00:00Z");

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("write")) {
            // Only write the lake (run-dashboard.sh does this in a process of its own, so that the
            // memory DuckDB used to generate it is not counted in the server's RSS).
            long started = System.nanoTime();
            SyntheticLake.write(Path.of(args[2]), Integer.parseInt(args[1]), END, 30, 42);
            System.out.printf("dashboard lake posts=%s written_in_s=%.1f dir=%s%n", args[1], (System.nanoTime() - started) / 1e9, args[2]);
            return;
        }
        if (args.length == 3 && args[0].equals("serve")) {
            serve(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        int posts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path lake = args.length > 1 ? Path.of(args[1]).toAbsolutePath() : Files.createTempDirectory("tidings-dashboard-bench").resolve("lake");
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        if (!Files.isDirectory(lake.resolve("posts"))) {
            long started = System.nanoTime();
            SyntheticLake.write(lake, posts, END, 30, 42);
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
        Path cache = lake.resolveSibling(lake.getFileName() + "-dashboard-cache");
        try (Server server = Server.start(lake, cache)) {
            System.out.printf("dashboard start_ms=%d cache=%s reused=%s memory_limit=%s cores=%d server_pid=%d%n", server.startMillis,
                    cache, server.reused, System.getProperty("tidings.memoryLimit"), Runtime.getRuntime().availableProcessors(),
                    server.process.pid());
            printMemory("after_start", server, cache);
            URI base = server.url;
            for (Map.Entry<String, String> e : endpoints.entrySet()) {
                String path = e.getValue();
                String sep = path.contains("?") ? "&" : "?";
                List<Long> uncached = new ArrayList<>();
                for (int i = 0; i < UNCACHED_RUNS; i++) {
                    uncached.add(timeMillis(client, base.resolve(path + sep + "bench_run=" + i)));
                }
                System.out.printf("dashboard one_client endpoint=%s posts=%d uncached_median_ms=%d uncached_p95_ms=%d%n",
                        e.getKey(), posts, percentile(uncached, 50), percentile(uncached, 95));
            }
            printMemory("after_one_client", server, cache);

            // The five pages' answers computed once (one after another), as they would be by the time
            // a steady state is reached; then the clients, and a commit that makes them all new.
            long warming = System.nanoTime();
            for (int variant = 0; variant < 5; variant++) {
                for (String path : endpoints.values()) {
                    timeMillis(client, base.resolve(variantOf(path, variant)));
                }
            }
            System.out.printf("dashboard warm_up_s=%.1f (5 variants x %d endpoints, one client)%n", (System.nanoTime() - warming) / 1e9,
                    endpoints.size());
            Load steady = load(client, base, endpoints, clients, seconds, null);
            steady.print("steady", posts, clients);
            printMemory("after_steady", server, cache);

            // A commit while the clients keep asking: 300 posts in the lake's newest hour.
            Load commit = load(client, base, endpoints, clients, seconds, () -> {
                FixtureLake more = FixtureLake.at(lake);
                for (int i = 0; i < 300; i++) {
                    FixtureLake.Post p = more.post("x:bench" + System.nanoTime() + "-" + i, END.minusSeconds(60 + i), "bench commit post " + i);
                    more.entity(p, "post", "ORG");
                }
                more.commit();
            });
            commit.print("during_commit", posts, clients);
            printMemory("after_commit", server, cache);
        }
    }

    /** Latencies per endpoint of one phase, and when a commit made in it became visible. */
    private record Load(Map<String, List<Long>> millis, double visibleAfterSeconds, List<Long> aroundCommit, long errors) {
        void print(String phase, int posts, int clients) {
            List<Long> all = new ArrayList<>();
            for (Map.Entry<String, List<Long>> e : millis.entrySet()) {
                List<Long> v = e.getValue();
                all.addAll(v);
                System.out.printf("dashboard %s clients=%d endpoint=%s posts=%d requests=%d p50_ms=%d p95_ms=%d p99_ms=%d max_ms=%d%n",
                        phase, clients, e.getKey(), posts, v.size(), percentile(v, 50), percentile(v, 95), percentile(v, 99),
                        percentile(v, 100));
            }
            System.out.printf("dashboard %s clients=%d all_endpoints requests=%d p50_ms=%d p95_ms=%d p99_ms=%d max_ms=%d errors=%d%n",
                    phase, clients, all.size(), percentile(all, 50), percentile(all, 95), percentile(all, 99), percentile(all, 100), errors);
            if (!Double.isNaN(visibleAfterSeconds)) {
                System.out.printf("dashboard %s commit_visible_after_s=%.1f requests_from_commit_to_10s_after_visible=%d p50_ms=%d p99_ms=%d max_ms=%d%n",
                        phase, visibleAfterSeconds, aroundCommit.size(), percentile(aroundCommit, 50), percentile(aroundCommit, 99),
                        percentile(aroundCommit, 100));
            }
        }
    }

    private interface Commit {
        void run() throws Exception;
    }

    /**
     * {@code clients} threads for {@code seconds}, each asking every endpoint in turn (client k uses
     * filter variant k % 5, as five different pages would); with {@code commit}, files are committed
     * a quarter of the way in and the time until the server's version changes is measured.
     */
    private static Load load(HttpClient http, URI base, Map<String, String> endpoints, int clients, int seconds, Commit commit)
            throws Exception {
        Map<String, List<Long>> millis = new ConcurrentHashMap<>();
        endpoints.keySet().forEach(k -> millis.put(k, Collections.synchronizedList(new ArrayList<>())));
        List<Long> aroundCommit = Collections.synchronizedList(new ArrayList<>());
        AtomicLong committedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong visibleAt = new AtomicLong(Long.MAX_VALUE / 2);
        AtomicLong errors = new AtomicLong();
        long stopAt = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int variant = c % 5;
            running.add(pool.submit(() -> {
                List<Map.Entry<String, String>> order = new ArrayList<>(endpoints.entrySet());
                Collections.shuffle(order);
                while (System.nanoTime() < stopAt) {
                    for (Map.Entry<String, String> e : order) {
                        String path = e.getValue();
                        String uri = variantOf(path, variant);
                        long started = System.nanoTime();
                        try {
                            timeMillis(http, base.resolve(uri));
                        } catch (Exception ex) {
                            if (errors.incrementAndGet() <= 3) {
                                System.out.println("dashboard error " + String.valueOf(ex.getMessage()).replace('\n', ' '));
                            }
                            continue;
                        }
                        long took = (System.nanoTime() - started) / 1_000_000;
                        millis.get(e.getKey()).add(took);
                        // From the commit until 10 s after the version showing it was served.
                        long since = started - committedAt.get();
                        if (since >= 0 && started < visibleAt.get() + Duration.ofSeconds(10).toNanos()) {
                            aroundCommit.add(took);
                        }
                    }
                }
                return null;
            }));
        }
        double visibleAfter = Double.NaN;
        if (commit != null) {
            Thread.sleep(seconds * 250L);
            String before = versionOf(http, base);
            committedAt.set(System.nanoTime());
            commit.run();
            long committed = System.nanoTime();
            while (versionOf(http, base).equals(before) && System.nanoTime() - committed < Duration.ofSeconds(120).toNanos()) {
                Thread.sleep(50);
            }
            visibleAt.set(System.nanoTime());
            visibleAfter = (visibleAt.get() - committed) / 1e9;
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new Load(millis, visibleAfter, aroundCommit, errors.get());
    }

    /** The request of page {@code variant} (0–4): an ignored parameter, so each page's answers are cached apart. */
    private static String variantOf(String path, int variant) {
        return path.equals("/api/lake-version") ? path : path + (path.contains("?") ? "&" : "?") + "page=" + variant;
    }

    private static String versionOf(HttpClient http, URI base) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/api/lake-version")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The server's resident memory (its JVM, DuckDB and the answers it holds; the clients are in this
     * process, apart) now and at its peak, this process's for comparison, and the database folder's size.
     */
    private static void printMemory(String when, Server server, Path cache) throws Exception {
        long[] serverMemory = residentMb(Path.of("/proc", String.valueOf(server.process.pid()), "status"));
        long[] clientMemory = residentMb(Path.of("/proc/self/status"));
        long dbBytes;
        try (Stream<Path> files = Files.walk(cache)) {
            dbBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("dashboard memory when=%s server_rss_mb=%d server_peak_rss_mb=%d clients_rss_mb=%d cache_folder_mb=%d%n", when,
                serverMemory[0], serverMemory[1], clientMemory[0], dbBytes / (1024 * 1024));
    }

    /** VmRSS and VmHWM (the peak) of a process's {@code /proc/PID/status}, in MiB. */
    private static long[] residentMb(Path status) throws Exception {
        long[] memory = new long[2];
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                memory[0] = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                memory[1] = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return memory;
    }

    /**
     * The dashboard server in a JVM of its own, with {@code bin/tidings serve}'s options (the system
     * property {@code tidings.serverOptions}, set by run-dashboard.sh), so its memory is its own and
     * not the clients'. It prints its address and runs until its standard input closes.
     */
    private static final class Server implements AutoCloseable {
        final Process process;
        final URI url;
        final long startMillis;
        final boolean reused;

        private Server(Process process, URI url, long startMillis, boolean reused) {
            this.process = process;
            this.url = url;
            this.startMillis = startMillis;
            this.reused = reused;
        }

        static Server start(Path lake, Path cache) throws Exception {
            boolean reused = Files.isRegularFile(cache.resolve("lake.duckdb"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String options = System.getProperty("tidings.serverOptions", "-Xms32m -Xmx512m -XX:+UseSerialGC");
            command.addAll(List.of(options.trim().split("\\s+")));
            if (System.getProperty("tidings.memoryLimit") != null) {
                command.add("-Dtidings.memoryLimit=" + System.getProperty("tidings.memoryLimit"));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), DashboardBenchmark.class.getName(), "serve",
                    lake.toString(), cache.toString()));
            long starting = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("serving ")) {
                process.destroyForcibly();
                throw new IllegalStateException("the dashboard server did not start (exit " + process.waitFor() + "): " + line);
            }
            Thread drain = new Thread(() -> out.lines().forEach(System.err::println), "dashboard-server-stdout");
            drain.setDaemon(true);
            drain.start();
            return new Server(process, URI.create(line.substring("serving ".length()).trim()), (System.nanoTime() - starting) / 1_000_000,
                    reused);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The server's side of {@link Server}: the dashboard over {@code lake}, until standard input closes. */
    private static void serve(Path lake, Path cache) throws Exception {
        Dashboard.Options options = new Dashboard.Options(lake, "127.0.0.1", 0, null, List.of(), null, null,
                new LakeDatabase.Storage(cache, System.getProperty("tidings.memoryLimit")));
        try (Dashboard dashboard = Dashboard.start(options)) {
            System.out.println("serving " + dashboard.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes this process's input
            }
        }
    }

    private static long timeMillis(HttpClient client, URI uri) throws Exception {
        long started = System.nanoTime();
        // As the page asks: an older answer may stand in while a new one computes (AnswerCache).
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("X-Tidings-Accept-Stale", "1").build(),
                HttpResponse.BodyHandlers.ofString());
        long took = (System.nanoTime() - started) / 1_000_000;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " → " + response.statusCode() + " " + response.body());
        }
        return took;
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
