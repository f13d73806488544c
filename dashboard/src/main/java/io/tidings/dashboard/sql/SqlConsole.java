package io.tidings.dashboard.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LakeTables;
import io.tidings.athena.QueryResult;
import io.tidings.dashboard.api.ApiException;
import io.tidings.dashboard.lake.LakeDatabase;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The read-only SQL console: anyone who can reach the page may type SQL, so it runs in a DuckDB
 * database of its own that can see the lake and nothing else.
 *
 * <p>Two locks, each enough on its own for most tricks:
 * <ol>
 *   <li>DuckDB's own sandbox, set before anything runs and then locked
 *       ({@code lock_configuration}): {@code enable_external_access = false} with the lake as the
 *       only {@code allowed_directories} (no {@code read_csv('/etc/passwd')}, no
 *       {@code FROM 'file.csv'} outside the lake, no {@code ATTACH}, no {@code INSTALL}/{@code
 *       LOAD}), no extension auto-loading, a memory limit.</li>
 *   <li>A statement check by DuckDB's own parser: {@code json_serialize_sql} accepts only SELECT
 *       statements (it refuses COPY, INSERT, CREATE, SET, PRAGMA, ATTACH...), whatever comments,
 *       case or CTEs wrap them, and lists each statement, so {@code ;} chaining is caught. The
 *       sandbox allows writing inside the lake folder (allowed directories are read and write), so
 *       this check is what keeps {@code COPY ... TO 'lake/...'} out.</li>
 * </ol>
 * Each statement runs on its own connection with a time limit (cancelled after it) and a row limit.
 */
public final class SqlConsole implements AutoCloseable {
    public static final int DEFAULT_MAX_ROWS = 1000;
    public static final int MAX_ROWS = 10_000;
    public static final int DOWNLOAD_MAX_ROWS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEADING_COMMENTS = Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)+", Pattern.DOTALL);
    private static final Pattern EXPLAIN = Pattern.compile("\\A(?i:EXPLAIN)\\s+(?:(?i:ANALY[SZ]E)\\s+)?(.*)\\z", Pattern.DOTALL);

    private final Path root;
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

    private SqlConsole(Path root, Path exports, DuckDBConnection primary, Duration timeLimit) {
        this.root = root;
        this.exports = exports;
        this.primary = primary;
        this.timeLimit = timeLimit;
    }

    /** A console over the lake at {@code root}; statements are cancelled after {@code timeLimit}. */
    public static SqlConsole open(Path root, LakeVersion.Snapshot snapshot, Duration timeLimit) throws SQLException {
        Path lake = root.toAbsolutePath().normalize();
        Path exports;
        try {
            exports = Files.createTempDirectory("tidings-sql-exports");
            exports.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DuckDBConnection primary = (DuckDBConnection) java.sql.DriverManager.getConnection("jdbc:duckdb:");
        SqlConsole console = new SqlConsole(lake, exports, primary, timeLimit);
        try {
            console.execute("SET allowed_directories = [" + quote(lake + "/") + ", " + quote(exports + "/") + "]");
            console.execute("SET enable_external_access = false");
            console.execute("SET autoinstall_known_extensions = false");
            console.execute("SET autoload_known_extensions = false");
            console.execute("SET memory_limit = '1GB'");
            console.execute("SET enable_object_cache = true");
            console.execute("SET lock_configuration = true");
            console.refreshIfChanged(snapshot);
        } catch (SQLException | RuntimeException e) {
            console.close();
            throw e;
        }
        return console;
    }

    /** Defines the lake tables again when one of them got its first files (as the dashboard's database does). */
    public synchronized void refreshIfChanged(LakeVersion.Snapshot snapshot) throws SQLException {
        boolean[] now = snapshot.tablesWithFiles();
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
            execute(LakeDatabase.definition(root, table, now[i]));
            definedAsView[i] = now[i];
        }
        for (String view : LakeSql.VIEWS) {
            execute(LakeSql.createView(view));
        }
        defined = true;
    }

    /** Runs one read-only statement: {@code {"columns", "rows", "truncated", "elapsed_ms"}}. */
    public Map<String, Object> run(String sql, Integer maxRows) {
        int limit = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        if (limit < 1 || limit > MAX_ROWS) {
            throw ApiException.badRequest("max_rows must be between 1 and " + MAX_ROWS);
        }
        check(sql);
        long started = System.nanoTime();
        return withTimeLimit(timeLimit, statement -> {
            if (!statement.execute(sql)) {
                throw ApiException.badRequest("the statement returned no rows");
            }
            try (ResultSet rs = statement.getResultSet()) {
                QueryResult result = QueryResult.read(rs, limit, LakeDatabase::jsonValue);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("columns", result.columns());
                out.put("rows", result.rows());
                out.put("truncated", result.truncated());
                out.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
                return out;
            }
        });
    }

    /** Writes the whole result (at most {@value #DOWNLOAD_MAX_ROWS} rows) as CSV (RFC 4180). */
    public void downloadCsv(String sql, OutputStream out) {
        check(sql);
        withTimeLimit(timeLimit.multipliedBy(6), statement -> {
            statement.execute(sql);
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
     * The whole result as a Parquet file (at most {@value #DOWNLOAD_MAX_ROWS} rows), written by
     * DuckDB into the console's own export folder; the caller sends and deletes it. The statement
     * was checked on its own first, so wrapping it in our COPY cannot change what it is.
     */
    public Path downloadParquet(String sql) {
        check(sql);
        Path file = exports.resolve(UUID.randomUUID() + ".parquet");
        withTimeLimit(timeLimit.multipliedBy(6), statement -> {
            statement.execute("COPY (SELECT * FROM (" + stripTrailingSemicolon(sql) + ") LIMIT " + DOWNLOAD_MAX_ROWS + ") TO "
                    + quote(file.toString()) + " (FORMAT parquet)");
            return null;
        });
        return file;
    }

    private static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /**
     * Refuses anything but one SELECT (or WITH/VALUES/SHOW/DESCRIBE/SUMMARIZE, which DuckDB parses
     * as SELECT), optionally behind EXPLAIN; the message says why.
     */
    public void check(String sql) {
        if (sql == null || sql.isBlank()) {
            throw ApiException.badRequest("no SQL given");
        }
        if (sql.length() > 100_000) {
            throw ApiException.badRequest("the SQL is longer than 100,000 characters");
        }
        String body = LEADING_COMMENTS.matcher(sql).replaceFirst("");
        Matcher explain = EXPLAIN.matcher(body);
        String statement = explain.matches() ? explain.group(1) : sql;
        JsonNode parsed;
        if (sql.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("the SQL holds a NUL character");
        }
        // json_serialize_sql wants a constant, not a parameter: the text goes in as a SQL string
        // literal, quotes doubled (DuckDB's '...' literals know no other escape).
        try (Statement serialize = primary.createStatement()) {
            try (ResultSet rs = serialize.executeQuery("SELECT json_serialize_sql(" + quote(statement) + ")")) {
                rs.next();
                parsed = JSON.readTree(rs.getString(1));
            }
        } catch (SQLException | IOException e) {
            throw ApiException.badRequest("could not check the SQL: " + e.getMessage());
        }
        if (parsed.path("error").asBoolean(false)) {
            String message = parsed.path("error_message").asText("");
            if (message.contains("Only SELECT statements")) {
                throw ApiException.badRequest("refused: the console is read-only; only one SELECT, WITH, VALUES, SHOW,"
                        + " DESCRIBE, SUMMARIZE or EXPLAIN statement is allowed (no COPY, INSERT, CREATE, SET, PRAGMA,"
                        + " ATTACH, INSTALL, LOAD...)");
            }
            throw ApiException.badRequest("SQL error: " + message);
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw ApiException.badRequest("refused: one statement at a time (found " + statements + ")");
        }
    }

    private interface StatementWork<T> {
        T run(Statement statement) throws SQLException;
    }

    /** Runs on a connection of its own, cancelled (408) when it runs past the limit. */
    private <T> T withTimeLimit(Duration limit, StatementWork<T> work) {
        AtomicBoolean cancelled = new AtomicBoolean();
        try (Connection connection = primary.duplicate(); Statement statement = connection.createStatement()) {
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
    }
}
