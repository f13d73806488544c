package io.tidings.dashboard.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.athena.QueryResult;
import io.tidings.dashboard.api.ApiException;
import io.tidings.dashboard.lake.LakeDatabase;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read-only SQL console: anyone who can reach the page may type SQL, so what it runs can read
 * the lake and nothing else, and write nothing.
 *
 * <p>It runs on the dashboard's own database ({@link LakeDatabase}): the same tables and views the
 * answers read ({@code posts}, {@code entities}, {@code posts_all}, … and the athena module's views),
 * kept up to date as the job commits, so a statement scans DuckDB's columnar copy instead of
 * binding views over every Parquet file of the lake (union_by_name reads each file's footer: over
 * ten million posts, 30,000 files, 70 s and 2.8 GB before the first answer), and its memory is the
 * dashboard's {@code memory_limit}, not a second budget beside it.
 *
 * <p>Two locks:
 * <ol>
 *   <li>{@link ReadOnlyQuery}: DuckDB's own parser must find exactly one SELECT in the text, and
 *       every function it calls must only read; the text it checked is the text that runs.</li>
 *   <li>DuckDB's sandbox, set on that database before anything runs and then locked
 *       ({@code lock_configuration}; {@link LakeDatabase}): {@code enable_external_access = false}
 *       with the lake (a folder, or an {@code s3://} lake's prefix), the spill folder and the
 *       console's download folder as the only {@code allowed_directories} (no {@code
 *       read_csv('/etc/passwd')}, no {@code FROM 'file.csv'} outside the lake, no {@code ATTACH},
 *       no {@code INSTALL}/{@code LOAD}), no extension auto-loading.</li>
 * </ol>
 * DuckDB has no read-only file access: an allowed directory can be read and written. So nothing
 * the console runs may write, and the first lock decides that by what the parser found, not by
 * patterns over the text. The one write is ours: a Parquet download, a COPY into the download
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
    /**
     * Answers built at once: an answer of {@value #MAX_ANSWER_CHARS} characters takes 100–150 MB of
     * Java heap while it is read, kept and written as JSON, and the server's heap is 512 MB; twenty
     * such statements at once ran it out of memory (a tester, 2026-12-05). Others wait for a turn.
     */
    static final int ANSWERS_AT_ONCE = 2;

    private final LakeDatabase db;
    private final Path exports;
    private final Duration timeLimit;
    private final ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sql-console-timeout");
        t.setDaemon(true);
        return t;
    });

    private final AtomicLong statementsRun = new AtomicLong();
    private final Semaphore answering = new Semaphore(ANSWERS_AT_ONCE, true);

    private SqlConsole(LakeDatabase db, Duration timeLimit) {
        this.db = db;
        this.exports = db.consoleFolder();
        this.timeLimit = timeLimit;
    }

    /**
     * A console over the dashboard's database; statements are cancelled after {@code timeLimit}.
     * Downloads a previous run left behind (killed mid-send) are deleted.
     */
    public static SqlConsole open(LakeDatabase db, Duration timeLimit) {
        SqlConsole console = new SqlConsole(db, timeLimit);
        console.deleteDownloads();
        return console;
    }

    /**
     * {@link #run} as the JSON text of the answer, at most {@value #ANSWERS_AT_ONCE} at a time; a
     * statement that finds no turn within twice the time limit (a turn frees within one, as a
     * statement is cancelled after it) is refused (503) rather than queued without end.
     */
    public String answer(String sql, Integer maxRows) {
        boolean turn;
        try {
            turn = answering.tryAcquire(2 * timeLimit.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for the console");
        }
        if (!turn) {
            throw new ApiException(503, "the console is answering " + ANSWERS_AT_ONCE + " statements already; try again in a moment");
        }
        try {
            return JSON.writeValueAsString(run(sql, maxRows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer that cannot be written as JSON", e);
        } finally {
            answering.release();
        }
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
            if (value instanceof List<?> || value instanceof Map<?, ?>) {
                // A list or struct counts as its JSON text, and is cut as a text value is: a list of
                // long texts otherwise slipped past both limits.
                String json;
                try {
                    json = JSON.writeValueAsString(value);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                if (json.length() > MAX_VALUE_CHARS) {
                    chars += MAX_VALUE_CHARS;
                    return json.substring(0, MAX_VALUE_CHARS) + "… (" + json.length() + " characters of JSON, cut; download the CSV for all)";
                }
                chars += json.length();
                return value;
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
        try (Connection connection = db.connect()) {
            return ReadOnlyQuery.check(connection, sql);
        } catch (SQLException e) {
            throw new ApiException(503, "the console's database is not available: " + firstLine(String.valueOf(e.getMessage())));
        }
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
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
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

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Deletes what is left in the download folder. The database is the dashboard's, closed by it. */
    @Override
    public void close() {
        canceller.shutdownNow();
        deleteDownloads();
    }

    private void deleteDownloads() {
        try (var files = Files.list(exports)) {
            files.forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: the folder is the dashboard's cache.
        }
    }
}
