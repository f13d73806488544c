package io.tidings.dashboard.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.dashboard.api.ApiException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One console statement that DuckDB's own parser found to be a single read-only query, and the
 * exact text to run for it.
 *
 * <p>The text that is checked is the text that runs: {@link #sql()} is the user's text itself, or
 * {@code EXPLAIN [ANALYZE] } written by us in front of the checked text. (The console this
 * replaced stripped comments with a pattern, checked what was left and ran the original: DuckDB
 * nests block comments, the pattern did not, and {@code /* /* *&#47; EXPLAIN SELECT '*&#47; COPY
 * ...} wrote into the lake.)
 *
 * <p>Three checks, in this order:
 * <ol>
 *   <li>{@code json_serialize_sql} — DuckDB's parser — must turn the text into exactly one
 *       statement, and it serializes only SELECT statements (SELECT, WITH, VALUES, FROM-first,
 *       SHOW, DESCRIBE, SUMMARIZE): COPY, EXPORT, ATTACH, CREATE, INSERT, SET, PRAGMA, CALL,
 *       INSTALL, PIVOT statements and {@code ;} chains are refused by the parser, whatever
 *       comments, quoting or case hide them.</li>
 *   <li>Every table function in the parsed tree must be one that only reads
 *       ({@link #READING_TABLE_FUNCTIONS}): a SELECT can still write, e.g. {@code SELECT * FROM
 *       enable_logging(storage = 'file', storage_path = ...)} writes log files, and {@code
 *       query('...')} runs a second statement the parser never saw.</li>
 *   <li>No function with a side effect anywhere in the tree ({@link #REFUSED_FUNCTIONS}).</li>
 * </ol>
 * File access outside the lake is DuckDB's sandbox's job ({@link SqlConsole}).
 */
public record ReadOnlyQuery(String sql, String select, boolean explain) {
    static final int MAX_LENGTH = 100_000;

    /**
     * Table functions a console query may call: readers (their paths then go through DuckDB's
     * sandbox, which allows only the lake), generators and catalog listings. Anything not here is
     * refused by name, so a function added by a later DuckDB is refused until someone looks at it.
     */
    static final Set<String> READING_TABLE_FUNCTIONS = Set.of(
            "read_parquet", "parquet_scan", "parquet_metadata", "parquet_file_metadata", "parquet_kv_metadata",
            "parquet_schema", "parquet_bloom_probe",
            "read_csv", "read_csv_auto", "sniff_csv",
            "read_json", "read_json_auto", "read_json_objects", "read_json_objects_auto",
            "read_ndjson", "read_ndjson_auto", "read_ndjson_objects",
            "read_text", "read_blob", "glob",
            "range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree",
            "histogram", "histogram_values",
            "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies", "duckdb_functions",
            "duckdb_indexes", "duckdb_keywords", "duckdb_schemas", "duckdb_settings", "duckdb_tables",
            "duckdb_types", "duckdb_views", "pragma_table_info", "pragma_show", "pragma_version",
            "icu_calendar_names", "pg_timezone_names");

    /**
     * Functions with effects outside the query's answer: writing log entries (which logging to a
     * file would put on disk), checkpoints and logging switches, and every function that takes
     * SQL text, which the parse tree shows only as a string: {@code query} runs it, and {@code
     * json_serialize_plan} binds and plans it, which alone made {@code EXPORT DATABASE 'LAKE/x'}
     * create a folder in the lake.
     */
    static final Set<String> REFUSED_FUNCTIONS = Set.of(
            "write_log", "query", "query_table", "json_execute_serialized_sql", "json_serialize_plan", "json_serialize_sql",
            "json_deserialize_sql", "sql_auto_complete", "enable_logging", "disable_logging", "truncate_duckdb_logs",
            "checkpoint", "force_checkpoint");

    /** {@code EXPLAIN} or {@code EXPLAIN ANALYZE} at the very start, separated by white space only (no comments). */
    private static final Pattern EXPLAIN = Pattern.compile("\\A\\s*(?i:EXPLAIN)(\\s+(?i:ANALY[SZ]E))?\\s+(?=\\S)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFUSED_STATEMENT = "refused: the console is read-only; only one SELECT, WITH, VALUES,"
            + " SHOW, DESCRIBE, SUMMARIZE or EXPLAIN statement is allowed (no COPY, EXPORT, INSERT, CREATE, SET,"
            + " PRAGMA, CALL, ATTACH, INSTALL, LOAD...)";

    /** Checks {@code text} with the parser of {@code parser}'s database; a 400 saying why when refused. */
    public static ReadOnlyQuery check(Connection parser, String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("no SQL given");
        }
        if (text.length() > MAX_LENGTH) {
            throw ApiException.badRequest("the SQL is longer than 100,000 characters");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("the SQL holds a NUL character");
        }
        Matcher explain = EXPLAIN.matcher(text);
        boolean explained = explain.lookingAt();
        String select = explained ? text.substring(explain.end()) : text;
        JsonNode parsed = parse(parser, select);
        if (parsed.path("error").asBoolean(false)) {
            String message = parsed.path("error_message").asText("");
            if (message.contains("Only SELECT statements")) {
                throw ApiException.badRequest(REFUSED_STATEMENT);
            }
            throw ApiException.badRequest("SQL error: " + message);
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw ApiException.badRequest("refused: one statement at a time (found " + statements + ")");
        }
        Set<String> refused = new LinkedHashSet<>();
        collectRefusedFunctions(parsed.path("statements").get(0), refused);
        if (!refused.isEmpty()) {
            throw ApiException.badRequest("refused: the console is read-only and does not run " + String.join(", ", refused)
                    + " (table functions allowed: readers of the lake's files, range, generate_series, unnest,"
                    + " json_each, json_tree and the duckdb_* catalog listings)");
        }
        if (!explained) {
            return new ReadOnlyQuery(text, select, false);
        }
        String prefix = explain.group(1) == null ? "EXPLAIN " : "EXPLAIN ANALYZE ";
        return new ReadOnlyQuery(prefix + select, select, true);
    }

    /** The parse tree of {@code sql} as DuckDB serializes it ({@code {"error": ..., "statements": [...]}}). */
    private static JsonNode parse(Connection parser, String sql) {
        // json_serialize_sql wants a constant, not a parameter: the text goes in as a SQL string
        // literal, quotes doubled (DuckDB's '...' literals know no other escape; NUL was refused).
        try (Statement statement = parser.createStatement();
                ResultSet rs = statement.executeQuery("SELECT json_serialize_sql('" + sql.replace("'", "''") + "')")) {
            rs.next();
            return JSON.readTree(rs.getString(1));
        } catch (SQLException | IOException e) {
            throw ApiException.badRequest("could not check the SQL: " + e.getMessage());
        }
    }

    /** Walks the whole tree (subqueries, CTEs, joins, expressions): every function call names itself. */
    private static void collectRefusedFunctions(JsonNode node, Set<String> refused) {
        if (node.isObject()) {
            if (node.path("type").asText().equals("TABLE_FUNCTION")) {
                String name = node.path("function").path("function_name").asText("").toLowerCase(Locale.ROOT);
                if (!READING_TABLE_FUNCTIONS.contains(name)) {
                    refused.add(name + "()");
                }
            } else if (node.has("function_name")) {
                String name = node.path("function_name").asText("").toLowerCase(Locale.ROOT);
                if (REFUSED_FUNCTIONS.contains(name)) {
                    refused.add(name + "()");
                }
            }
        }
        for (JsonNode child : node) {
            collectRefusedFunctions(child, refused);
        }
    }
}
