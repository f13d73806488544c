package io.tidings.bench;

import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the dashboard's memory goes while it loads a lake: opens the dashboard's database over a
 * lake (a cache folder next to it, as the benchmark does; delete it to measure a first load) and
 * prints the process's resident memory (VmRSS, VmHWM, /proc/self/smaps_rollup), the Java heap and
 * what DuckDB says it holds ({@code duckdb_memory()}, {@code duckdb_temporary_files()},
 * {@code PRAGMA database_size}), then waits {@code WAIT_S} seconds so that {@code jcmd PID
 * VM.native_memory summary} or {@code jcmd PID System.trim_native_heap} can be run against it, and
 * prints the same again. A diagnostic; prints figures, asserts nothing.
 * Usage: {@code DashboardMemory console LAKE_DIR} (the SQL console's first statement on the dashboard's database), or
 * {@code DashboardMemory LAKE_DIR [WAIT_S [STEP...]]}: each step, {@code reopen} (the database
 * closed and opened again) or a statement run on the database's connection (not a {@code SET}: the
 * configuration is locked once open), is taken
 * afterwards, and the memory printed 5 s later.
 */
public final class DashboardMemory {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("console")) {
            // The SQL console's first statement, over the dashboard's database as the server opens it.
            Path lake = Path.of(args[1]).toAbsolutePath();
            Path cache = lake.resolveSibling(lake.getFileName() + "-dashboard-cache");
            try (LakeDatabase db = LakeDatabase.open(lake, new LakeVersion(lake).snapshot(),
                    new LakeDatabase.Storage(cache, System.getProperty("tidings.memoryLimit")));
                    io.tidings.dashboard.sql.SqlConsole console = io.tidings.dashboard.sql.SqlConsole.open(db,
                            java.time.Duration.ofSeconds(60))) {
                print("before_console", db);
                long started = System.nanoTime();
                Object answer = console.run("SELECT count(*) AS posts, count(DISTINCT author_id) AS authors FROM posts", null).get("rows");
                System.out.printf("memory console_first_statement_s=%.1f answer=%s%n", (System.nanoTime() - started) / 1e9, answer);
                print("after_console", db);
                Thread.sleep(5_000);
                print("after_console_5s", db);
            }
            return;
        }
        Path lake = Path.of(args[0]).toAbsolutePath();
        int waitSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Path cache = lake.resolveSibling(lake.getFileName() + "-dashboard-cache");
        System.out.printf("memory pid=%d%n", ProcessHandle.current().pid());
        print("before_open", null);
        long started = System.nanoTime();
        Thread sampler = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(15_000);
                    System.out.printf("memory loading_s=%.0f %s%n", (System.nanoTime() - started) / 1e9, status());
                }
            } catch (Exception e) {
                // interrupted: the load is done
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        LakeDatabase db = LakeDatabase.open(lake, new LakeVersion(lake).snapshot(),
                new LakeDatabase.Storage(cache, System.getProperty("tidings.memoryLimit")));
        try {
            sampler.interrupt();
            System.out.printf("memory open_s=%.1f%n", (System.nanoTime() - started) / 1e9);
            print("after_open", db);
            if (waitSeconds > 0) {
                Thread.sleep(waitSeconds * 1000L);
                print("after_wait", db);
            }
            // Each further argument: "reopen" (the database closed and opened again over its file),
            // or a statement run on the database's own connection; then the memory 5 s later.
            java.lang.reflect.Field primary = LakeDatabase.class.getDeclaredField("primary");
            primary.setAccessible(true);
            for (int i = 2; i < args.length; i++) {
                if (args[i].equals("reopen")) {
                    db.close();
                    db = LakeDatabase.open(lake, new LakeVersion(lake).snapshot(),
                            new LakeDatabase.Storage(cache, System.getProperty("tidings.memoryLimit")));
                } else {
                    try (java.sql.Statement s = ((java.sql.Connection) primary.get(db)).createStatement()) {
                        s.execute(args[i]);
                    }
                }
                Thread.sleep(5_000);
                print("after " + args[i], db);
            }
        } finally {
            db.close();
        }
    }

    private static String status() throws Exception {
        StringBuilder line = new StringBuilder();
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:") || l.startsWith("VmHWM:") || l.startsWith("RssAnon:") || l.startsWith("RssFile:")
                    || l.startsWith("Threads:")) {
                line.append(' ').append(l.replaceAll("\\s+", "").replace(":", "="));
            }
        }
        Runtime rt = Runtime.getRuntime();
        line.append(" java_heap_used_mb=").append((rt.totalMemory() - rt.freeMemory()) >> 20)
                .append(" java_heap_committed_mb=").append(rt.totalMemory() >> 20);
        return line.toString();
    }

    private static void print(String when, LakeDatabase db) throws Exception {
        System.out.println("memory when=" + when + status());
        if (db == null) {
            return;
        }
        for (String sql : List.of(
                "SELECT tag, memory_usage_bytes >> 20 AS mb, temporary_storage_bytes >> 20 AS temp_mb FROM duckdb_memory() WHERE memory_usage_bytes > 0 OR temporary_storage_bytes > 0",
                "SELECT path, size >> 20 AS mb FROM duckdb_temporary_files()",
                "PRAGMA database_size",
                "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory_limit,"
                        + " current_setting('preserve_insertion_order') AS preserve_insertion_order")) {
            // (duckdb_extensions() would say jemalloc is loaded, but it lists DuckDB's extension folder, outside the sandbox.)
            try {
                for (Map<String, Object> row : db.query(sql, List.of())) {
                    System.out.println("memory when=" + when + " duckdb " + row);
                }
            } catch (Exception e) {
                System.out.println("memory when=" + when + " duckdb_error " + e.getMessage().replace('\n', ' '));
            }
        }
    }
}
