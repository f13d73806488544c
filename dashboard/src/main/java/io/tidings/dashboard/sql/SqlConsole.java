package io.tidings.dashboard.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LakeTables;
import io.tidings.athena.LocalLake;
import io.tidings.athena.QueryResult;
import io.tidings.dashboard.api.ApiException;
import io.tidings.athena.LakeLayout;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeRoot;
import io.tidings.dashboard.lake.LakeVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;

/**
 * The read-only SQL console: anyone who can reach the page may type SQL, so it runs in a DuckDB
 * database of its own that can see the lake and nothing else.
 *
 * <p>Two locks:
 * <ol>
 *   <li>{@link ReadOnlyQuery}: DuckDB's own parser must find exactly one SELECT in the text, and
 *       every function it calls must only read; the text it checked is the text that runs.</li>
 *   <li>DuckDB's sandbox, set before anything runs and then locked ({@code lock_configuration}):
 *       {@code enable_external_access = false} with the lake (a folder, or an {@code s3://} lake's
 *       prefix) and the console's own scratch folder as the only {@code allowed_directories} (no {@code read_csv('/etc/passwd')}, no
 *       {@code FROM 'file.csv'} outside the lake, no {@code ATTACH}, no {@code INSTALL}/{@code
 *       LOAD}), no extension auto-loading, a memory limit, spilling into the scratch folder.</li>
 * </ol>
 * DuckDB has no read-only file access: an allowed directory can be read and written. So nothing
 * the console runs may write, and the first lock decides that by what the parser found, not by
 * patterns over the text. The one write is ours: a Parquet download, a COPY into the scratch
 * folder around a checked SELECT.
 *
 * <p>Each statement runs on its own connection with a time limit (cancelled after it) and a row limit.
 */
public final class SqlConsole implements AutoCloseable {
    public static final int DEFAULT_MAX_ROWS = 1000;
    public static final int MAX_ROWS = 10_000;
    public static final int DOWNLOAD_MAX_ROWS = 1_000_000;
    static final int MAX_VALUE_CHARS = 100_000;
    static final long MAX_ANSWER_CHARS = 32_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LakeRoot root;
    private final Path scratch;
    private final Path exports;
    private final DuckDBConnection primary;
    private final Duration timeLimit;
    private final ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sql-console-timeout");
        t.setDaemon(true);
        return t;
    });
    private final boolean[] definedAsView = new boolean[LakeTables.ALL.size()];
    private boolean defined;
    /** Which tables had files at the last look: the views are (re)defined for it at the next statement. */
    private boolean[] wanted = new boolean[LakeTables.ALL.size()];

    private final AtomicLong statementsRun = new AtomicLong();

    private SqlConsole(LakeRoot root, Path scratch, DuckDBConnection primary, Duration timeLimit) {
        this.root = root;
        this.scratch = scratch;
        this.exports = scratch.resolve("exports");
        this.primary = primary;
        this.timeLimit = timeLimit;
    }

    /** A console over the lake at {@code root}; statements are cancelled after {@code timeLimit}. */
    public static SqlConsole open(Path root, LakeVersion.Snapshot snapshot, Duration timeLimit) throws SQLException {
        return open(LakeRoot.local(root), snapshot, timeLimit);
    }

    /**
     * A console over a lake anywhere ({@link LakeRoot}): for S3 the sandbox's one allowed place in
     * the object store is the lake's prefix, so the dashboard's credentials read nothing else.
     */
    public static SqlConsole open(LakeRoot lake, LakeVersion.Snapshot snapshot, Duration timeLimit) throws SQLException {
        Path scratch;
        try {
            // Spill files and Parquet downloads: a folder of this console's, never the lake or the
            // working directory (DuckDB's default temp folder is ./.tmp).
            scratch = Files.createTempDirectory("tidings-sql-console");
            Files.createDirectory(scratch.resolve("exports"));
            Files.createDirectory(scratch.resolve("spill"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DuckDBConnection primary = (DuckDBConnection) java.sql.DriverManager.getConnection("jdbc:duckdb:");
        SqlConsole console = new SqlConsole(lake, scratch, primary, timeLimit);
        try {
            console.execute("SET temp_directory = " + quote(scratch.resolve("spill").toString()));
            // httpfs and the S3 secret first: the sandbox and the lock below are meant to hold for everything after.
            lake.prepare(primary);
            console.execute("SET allowed_directories = [" + quote(lake.location() + "/") + ", " + quote(scratch + "/") + "]");
            console.execute("SET enable_external_access = false");
            console.execute("SET autoinstall_known_extensions = false");
            console.execute("SET autoload_known_extensions = false");
            console.execute("SET memory_limit = '1GB'");
            console.execute("SET max_temp_directory_size = '4GB'");
            console.execute("SET parquet_metadata_cache = true"); // the console reads the files themselves, again and again
            console.execute("SET lock_configuration = true");
            console.refreshIfChanged(snapshot);
        } catch (SQLException | RuntimeException e) {
            console.close();
            throw e;
        }
        return console;
    }

    /**
     * Notes which lake tables have files; the tables are defined again, at the next statement, when
     * one of them got its first files (as the dashboard's database does).
     */
    public synchronized void refreshIfChanged(LakeVersion.Snapshot snapshot) {
        wanted = snapshot.tablesWithFiles().clone();
    }

    /**
     * Defines the lake's tables as views over its files, at the first statement rather than at
     * start: binding a view reads the footer of every file (union_by_name), which over ten million
     * posts (30,000 files) took 68 s and 2.8 GB at its peak, 1.7 GB kept by the Parquet metadata
     * cache (README, *Memory*), for a console most sessions never open.
     */
    private synchronized void defineViews() throws SQLException {
        boolean[] now = wanted;
        boolean same = defined;
        for (int i = 0; i < now.length && same; i++) {
            same = definedAsView[i] == now[i];
        }
        if (same) {
            return;
        }
        for (int i = 0; i < LakeTables.ALL.size(); i++) {
            LakeTables.Table table = LakeTables.ALL.get(i);
            if (defined) {
                execute((definedAsView[i] ? "DROP VIEW " : "DROP TABLE ") + table.name());
            }
            execute(LocalLake.definition(root.location(), now[i] ? root.layout() : LakeLayout.HOUR, table, now[i]));
            definedAsView[i] = now[i];
        }
        for (String view : LakeSql.VIEWS) {
            execute(LakeSql.createView(view));
        }
        defined = true;
    }

    /** Gives the console's database renewed credentials when the lake's have changed ({@link LakeRoot#renewCredentials}). */
    public void renewCredentials() {
        root.renewCredentials(primary);
    }

    /** Runs one read-only statement: {@code {"columns", "rows", "truncated", "elapsed_ms"}}. */
    public Map<String, Object> run(String sql, Integer maxRows) {
        int limit = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        if (limit < 1 || limit > MAX_ROWS) {
            throw ApiException.badRequest("max_rows must be between 1 and " + MAX_ROWS);
        }
        ReadOnlyQuery query = check(sql);
        long started = System.nanoTime();
        return withTimeLimit(timeLimit, statement -> {
            if (!statement.execute(query.sql())) {
                throw ApiException.badRequest("the statement returned no rows");
            }
            try (ResultSet rs = statement.getResultSet()) {
                AnswerBudget budget = new AnswerBudget();
                QueryResult result = QueryResult.read(rs, limit, v -> budget.cap(LakeDatabase.jsonValue(v)), budget::spent);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("columns", result.columns());
                out.put("rows", result.rows());
                out.put("truncated", result.truncated());
                out.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
                return out;
            }
        });
    }

    /**
     * Keeps an answer the page can take: a text value over {@value #MAX_VALUE_CHARS} characters is
     * cut (and says so), and rows stop (truncated) once the answer holds {@value #MAX_ANSWER_CHARS}
     * characters. A few rows of {@code repeat('x', 200000000)} ran the server out of memory.
     */
    private static final class AnswerBudget {
        private long chars;

        Object cap(Object value) {
            if (value instanceof String text) {
                if (text.length() > MAX_VALUE_CHARS) {
                    text = text.substring(0, MAX_VALUE_CHARS) + "… (" + text.length() + " characters, cut; download the CSV for all)";
                }
                chars += text.length();
                return text;
            }
            chars += 16;
            return value;
        }

        boolean spent() {
            return chars >= MAX_ANSWER_CHARS;
        }
    }

    /** Writes the whole result of a {@linkplain #check checked} query (at most {@value #DOWNLOAD_MAX_ROWS} rows) as CSV (RFC 4180). */
    public void downloadCsv(ReadOnlyQuery query, OutputStream out) {
        withTimeLimit(timeLimit.multipliedBy(6), statement -> {
            statement.execute(query.sql());
            try (ResultSet rs = statement.getResultSet();
                    var writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                int n = rs.getMetaData().getColumnCount();
                List<String> header = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    header.add(csv(rs.getMetaData().getColumnLabel(i)));
                }
                writer.write(String.join(",", header));
                writer.write("\r\n");
                int rows = 0;
                while (rows < DOWNLOAD_MAX_ROWS && rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            writer.write(',');
                        }
                        Object v = LakeDatabase.jsonValue(rs.getObject(i));
                        writer.write(v == null ? "" : csv(v instanceof List<?> || v instanceof Map<?, ?> ? JSON.writeValueAsString(v) : v.toString()));
                    }
                    writer.write("\r\n");
                    rows++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /**
     * The whole result of a {@linkplain #check checked} query as a Parquet file (at most {@value #DOWNLOAD_MAX_ROWS} rows), written by
     * DuckDB into the console's own export folder; the caller sends and deletes it. The statement
     * was checked on its own first and a standalone SELECT has balanced parentheses, so it cannot
     * close our subquery; the newline ends a trailing {@code --} comment.
     */
    public Path downloadParquet(ReadOnlyQuery query) {
        if (query.explain()) {
            throw ApiException.badRequest("an EXPLAIN has no Parquet form: download it as CSV");
        }
        Path file = exports.resolve(UUID.randomUUID() + ".parquet");
        try {
            withTimeLimit(timeLimit.multipliedBy(6), statement -> {
                statement.execute("COPY (SELECT * FROM (" + stripTrailingSemicolon(query.select()) + "\n) LIMIT " + DOWNLOAD_MAX_ROWS
                        + ") TO " + quote(file.toString()) + " (FORMAT parquet)");
                return null;
            });
        } catch (RuntimeException failed) {
            // A query that failed or was cancelled mid-way leaves a partial file behind.
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failed.addSuppressed(e);
            }
            throw failed;
        }
        return file;
    }

    private static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /** The statement to run for {@code sql}, or a 400 saying why it is refused ({@link ReadOnlyQuery}). */
    public ReadOnlyQuery check(String sql) {
        return ReadOnlyQuery.check(primary, sql);
    }

    /** Statements the console has started, refused ones not counted (for tests and monitoring). */
    public long statementsRun() {
        return statementsRun.get();
    }

    private interface StatementWork<T> {
        T run(Statement statement) throws SQLException;
    }

    /** Runs on a connection of its own, cancelled (408) when it runs past the limit. */
    private <T> T withTimeLimit(Duration limit, StatementWork<T> work) {
        AtomicBoolean cancelled = new AtomicBoolean();
        statementsRun.incrementAndGet();
        try (Connection connection = primary.duplicate(); Statement statement = connection.createStatement()) {
            defineViews();
            ScheduledFuture<?> timer = canceller.schedule(() -> {
                cancelled.set(true);
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // Finished meanwhile: nothing to cancel.
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return work.run(statement);
            } finally {
                timer.cancel(false);
            }
        } catch (SQLException e) {
            if (cancelled.get()) {
                throw new ApiException(408, "the query ran longer than " + limit.toSeconds() + " s and was cancelled");
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains("Permission Error") || message.contains("disabled by configuration")) {
                throw ApiException.badRequest("refused: the console can read only the lake's files (" + firstLine(message) + ")");
            }
            throw new ApiException(422, firstLine(message));
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = primary.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        canceller.shutdownNow();
        try {
            primary.close();
        } catch (SQLException e) {
            // Closing anyway.
        }
        try (var files = Files.walk(scratch)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: the folder is under the system's temp folder.
        }
    }
}
