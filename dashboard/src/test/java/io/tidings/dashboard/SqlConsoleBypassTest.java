package io.tidings.dashboard;

import static io.tidings.dashboard.Http.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to make the "read-only" SQL console write, list or read outside the lake, each sent
 * three ways (the console's POST, and its CSV and Parquet downloads). None may leave a file
 * anywhere we can look, change a byte of the lake, change a table or view, or stop the server.
 * The first entries are the shapes that wrote into the lake before the console checked the text
 * it runs.
 */
class SqlConsoleBypassTest {
    @TempDir
    static Path lake;
    @TempDir
    static Path outside;
    static Dashboard dashboard;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        Files.writeString(outside.resolve("secret.csv"), "a,b\n1,2\n");
        dashboard = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, null, List.of(), null, Duration.ofSeconds(5)));
        base = dashboard.url();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    /**
     * Every attempt, with {LAKE}, {OUT} (a folder outside the lake), {POSTS} (an hour partition),
     * {ENTITY} (a committed file) and {CACHE} (the dashboard's cache folder: its database, whose
     * connections the console shares, and the console's download folder).
     */
    static List<String> corpus() {
        return List.of(
                // The reported bypasses: DuckDB nests block comments, a pattern does not.
                "/* /* */ EXPLAIN SELECT '*/ COPY (SELECT 42 AS a) TO '{LAKE}/posts/x.csv' --'",
                "/* /* */ SELECT '*/ COPY (SELECT 42 AS a) TO '{LAKE}/posts/x.csv' --'",
                "/* /* */ EXPLAIN SELECT $$*/ COPY (SELECT * FROM posts_all) TO '{POSTS}/part-forged.parquet' (FORMAT parquet) --$$",
                "/* /* */ EXPLAIN SELECT '*/ COPY (SELECT * FROM entities_all LIMIT 1) TO '{ENTITY}' (FORMAT parquet) --'",
                "/* /* */ EXPLAIN SELECT '*/ ATTACH '{LAKE}/new.duckdb' AS x --'",
                "/* /* */ EXPLAIN SELECT '*/ CREATE TABLE forged AS SELECT 1 --'",
                "/* /* */ EXPLAIN SELECT '*/ DROP VIEW posts --'",
                "/* /* */ EXPLAIN SELECT '*/ CREATE OR REPLACE VIEW posts AS SELECT 1 AS a --'",
                "/* a /* b /* c */ */ */ COPY (SELECT 1) TO '{LAKE}/nested.csv'",
                "-- line comment\nCOPY (SELECT 1) TO '{LAKE}/c.csv'",
                "/**/COPY (SELECT 1) TO '{LAKE}/c.csv'",
                // Dollar quotes and strings hiding statements.
                "SELECT $$ ; COPY (SELECT 1) TO '{LAKE}/d.csv' $$; COPY (SELECT 1) TO '{LAKE}/d.csv'",
                "SELECT $tag$ $$ $tag$; COPY (SELECT 1) TO '{LAKE}/d.csv'",
                "SELECT 'it''s'; COPY (SELECT 1) TO '{LAKE}/d.csv'",
                "SELECT E'\\''; COPY (SELECT 1) TO '{LAKE}/d.csv' --'",
                // EXPLAIN and ANALYZE.
                "EXPLAIN COPY (SELECT 1) TO '{LAKE}/e.csv'",
                "EXPLAIN ANALYZE COPY (SELECT 1) TO '{LAKE}/e.csv'",
                "explain\tanalyse\nCOPY (SELECT 1) TO '{LAKE}/e.csv'",
                "EXPLAIN /* x */ COPY (SELECT 1) TO '{LAKE}/e.csv'",
                "EXPLAIN (FORMAT json) COPY (SELECT 1) TO '{LAKE}/e.csv'",
                "EXPLAIN EXPLAIN COPY (SELECT 1) TO '{LAKE}/e.csv'",
                "EXPLAIN ANALYZE SELECT * FROM enable_logging(storage = 'file', storage_path = '{LAKE}/logs')",
                "ANALYZE",
                // CTEs, subqueries, PIVOT.
                "WITH x AS (SELECT 1) COPY (SELECT * FROM x) TO '{LAKE}/f.csv'",
                "WITH x AS MATERIALIZED (SELECT * FROM query('COPY (SELECT 1) TO ''{LAKE}/f.csv''')) SELECT * FROM x",
                "SELECT * FROM (SELECT * FROM (SELECT * FROM enable_logging(storage = 'file', storage_path = '{LAKE}/logs')))",
                "SELECT * FROM posts, LATERAL (SELECT * FROM query('COPY (SELECT 1) TO ''{LAKE}/f.csv'''))",
                "PIVOT posts ON lang USING count(*)",
                "PIVOT posts ON lang USING count(*); COPY (SELECT 1) TO '{LAKE}/g.csv'",
                "SELECT * FROM (PIVOT posts ON platform USING count(*)); COPY (SELECT 1) TO '{LAKE}/g.csv'",
                // ; chains.
                "SELECT 1; COPY (SELECT 1) TO '{LAKE}/h.csv'",
                "SELECT 1;COPY (SELECT 1) TO '{LAKE}/h.csv'",
                "SELECT 1 ;\n-- then\nCOPY (SELECT 1) TO '{LAKE}/h.csv'",
                "SELECT 1; SELECT 2",
                ";;SELECT 1;; COPY (SELECT 1) TO '{LAKE}/h.csv';",
                // Unicode look-alikes: none of these is a keyword or a separator to DuckDB.
                "ＣＯＰＹ (SELECT 1) TO '{LAKE}/u.csv'",
                "C\u041ePY (SELECT 1) TO '{LAKE}/u.csv'",
                "SELECT 1\u037e COPY (SELECT 1) TO '{LAKE}/u.csv'",
                "SELECT 1\uff1b COPY (SELECT 1) TO '{LAKE}/u.csv'",
                "SELECT 1;\u200bCOPY (SELECT 1) TO '{LAKE}/u.csv'",
                "\u202eSELECT 1; COPY (SELECT 1) TO '{LAKE}/u.csv'",
                "SELECT 1 \u2028; COPY (SELECT 1) TO '{LAKE}/u.csv'",
                // Statements that write or change the database.
                "COPY posts_all TO '{LAKE}/posts/all.csv'",
                "COPY (SELECT 1) TO '{OUT}/out.csv'",
                "COPY (SELECT 1) TO 'relative.csv'",
                "COPY posts FROM '{OUT}/secret.csv'",
                "EXPORT DATABASE '{LAKE}/export'",
                "EXPORT DATABASE '{OUT}/export' (FORMAT parquet)",
                "IMPORT DATABASE '{OUT}'",
                "ATTACH '{LAKE}/x.duckdb' AS x",
                "ATTACH '{OUT}/y.duckdb'",
                "ATTACH ':memory:' AS m",
                "DETACH memory",
                "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
                "CREATE PERSISTENT SECRET p (TYPE s3, KEY_ID 'a', SECRET 'b')",
                "CREATE TABLE t AS SELECT 1",
                "CREATE MACRO m(x) AS x",
                "CREATE TYPE mood AS ENUM ('a')",
                "CREATE OR REPLACE VIEW posts AS SELECT 1 AS a",
                "ALTER VIEW posts RENAME TO gone",
                "DROP VIEW posts_enriched",
                "DROP TABLE tombstones",
                "INSERT INTO tombstones SELECT * FROM tombstones",
                "DELETE FROM tombstones",
                "UPDATE tombstones SET source = 'x'",
                "COMMENT ON VIEW posts IS 'x'",
                "INSTALL httpfs",
                "FORCE INSTALL httpfs",
                "LOAD httpfs",
                "SET enable_external_access = true",
                "SET GLOBAL allowed_directories = ['/']",
                "RESET lock_configuration",
                "SET VARIABLE v = 1",
                "PRAGMA enable_profiling",
                "PRAGMA profiling_output = '{LAKE}/profile.json'",
                "CALL pragma_version()",
                "CALL enable_logging(storage = 'file', storage_path = '{LAKE}/logs')",
                "PREPARE p AS COPY (SELECT 1) TO '{LAKE}/p.csv'",
                "EXECUTE p",
                "CHECKPOINT",
                "VACUUM",
                "BEGIN TRANSACTION",
                "USE memory",
                // SELECTs that write, or run SQL the parser never saw.
                "SELECT * FROM enable_logging(storage = 'file', storage_path = '{LAKE}/logs')",
                "SELECT * FROM \"ENABLE_LOGGING\"(storage = 'file', storage_path = '{LAKE}/logs')",
                "SELECT * FROM main.enable_logging(storage = 'file', storage_path = '{LAKE}/logs')",
                "SELECT * FROM system.main.enable_logging(storage = 'file', storage_path = '{OUT}/logs')",
                "FROM enable_logging(storage = 'file', storage_path = '{LAKE}/logs')",
                "SELECT write_log('x', level := 'error')",
                "SELECT * FROM query('COPY (SELECT 1) TO ''{LAKE}/q.csv''')",
                "SELECT * FROM query_table('posts')",
                "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
                "SELECT * FROM checkpoint()",
                "SELECT * FROM force_checkpoint()",
                "SELECT * FROM truncate_duckdb_logs()",
                "SELECT (SELECT count(*) FROM enable_logging(storage = 'file', storage_path = '{LAKE}/logs'))",
                // Functions that take SQL text: planning alone made EXPORT create a folder in the lake.
                "SELECT json_serialize_plan('EXPORT DATABASE ''{LAKE}/exp1''')",
                "SELECT json_serialize_plan('EXPORT DATABASE ''' || current_setting('allowed_directories')[1] || 'x''')",
                "SELECT json_serialize_plan('COPY (SELECT 1) TO ''{LAKE}/plan.csv''')",
                "SELECT json_serialize_sql('COPY (SELECT 1) TO ''{LAKE}/s.csv''')",
                "SELECT json_deserialize_sql(json_serialize_sql('SELECT 1'))",
                "SELECT list_transform([1], x -> json_serialize_plan('EXPORT DATABASE ''{LAKE}/exp2'''))",
                // Reading (or listing) outside the lake.
                "SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_text('/etc/passwd')",
                "SELECT * FROM read_blob('/proc/self/environ')",
                "SELECT * FROM read_csv('file:///etc/passwd')",
                "SELECT * FROM read_csv('{OUT}/secret.csv')",
                "SELECT * FROM read_csv('{LAKE}/../" + "{OUTNAME}/secret.csv')",
                "SELECT * FROM read_text(['{LAKE}/posts', '/etc/passwd'])",
                "SELECT * FROM '{OUT}/secret.csv'",
                "FROM '/etc/hostname'",
                "SELECT * FROM glob('/etc/*')",
                "SELECT * FROM glob('{LAKE}/../*')",
                "SELECT * FROM glob('~/*')",
                "SELECT * FROM read_parquet('/tmp/**/*.parquet')",
                "SELECT * FROM read_json('{OUT}/*')",
                "SELECT * FROM sniff_csv('/etc/passwd')",
                "SELECT * FROM parquet_metadata('/tmp/x.parquet')",
                "WITH a AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM a",
                "SELECT * FROM read_csv('/dev/stdin')",
                "SELECT * FROM read_csv('{LAKE}/new-file-that-does-not-exist.csv')",
                "SELECT * FROM '{LAKE}/new.duckdb'",
                "SELECT getenv('HOME')",
                // The dashboard's database, which the console's statements run on, and its folders.
                "COPY (SELECT 1) TO '{CACHE}/console/x.csv'",
                "COPY (SELECT 1) TO '{CACHE}/spill/x.csv'",
                "ATTACH '{CACHE}/lake.duckdb' AS again",
                "ATTACH '{CACHE}/other.duckdb'",
                "DETACH memory",
                "USE memory",
                "CHECKPOINT",
                "SELECT * FROM checkpoint()",
                "SELECT * FROM force_checkpoint()",
                "DELETE FROM dashboard_files",
                "UPDATE posts_all SET text = 'forged'",
                "INSERT INTO mentions SELECT * FROM mentions",
                "DROP TABLE post_hours",
                "TRUNCATE author_days",
                "ALTER TABLE posts_all RENAME TO gone",
                "CREATE OR REPLACE VIEW trending AS SELECT 1 AS a",
                "SET memory_limit = '100GB'",
                "RESET allowed_directories",
                "SELECT * FROM read_csv('{CACHE}/../secret.csv')");
    }

    @Test
    void noAttemptWritesAnythingOrChangesTheLake() throws Exception {
        Path entityFile;
        try (Stream<Path> files = Files.walk(lake.resolve("entities"))) {
            entityFile = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Path postsPartition;
        try (Stream<Path> files = Files.walk(lake.resolve("posts"))) {
            postsPartition = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow().getParent();
        }
        Map<String, String> before = everythingWeCanSee();
        String catalogBefore = catalog();
        long postsBefore = Http.count(lake, "SELECT count(*) FROM p");
        long consoleRunsBefore = dashboard.sqlStatementsRun();

        List<String> failures = new ArrayList<>();
        for (String template : corpus()) {
            String sql = template.replace("{LAKE}", lake.toString()).replace("{OUTNAME}", outside.getFileName().toString())
                    .replace("{OUT}", outside.toString()).replace("{POSTS}", postsPartition.toString())
                    .replace("{ENTITY}", entityFile.toString()).replace("{CACHE}", dashboard.database().folder().toString());
            for (String way : List.of("post", "csv", "parquet")) {
                Http.Answer answer = way.equals("post") ? postJson(base, "/api/sql", Map.of("sql", sql))
                        : Http.get(base, "/api/sql/download?format=" + way + "&sql=" + Http.enc(sql));
                if (answer.status() < 400 || answer.status() >= 500 || answer.json() == null
                        || answer.json().path("error").asText().isBlank()) {
                    failures.add(way + ": " + sql + " → " + answer.status() + " " + abbreviate(answer.body()));
                }
                Map<String, String> now = everythingWeCanSee();
                if (!now.equals(before)) {
                    failures.add(way + ": " + sql + " changed files: " + difference(before, now));
                    before = now;
                }
            }
        }
        assertThat(failures).as("attempts that were not refused, or left a trace").isEmpty();
        assertThat(catalog()).isEqualTo(catalogBefore);
        assertThat(Http.count(lake, "SELECT count(*) FROM p")).isEqualTo(postsBefore);
        // Refused by the check, never started: at most the few reading queries that ran and failed in DuckDB.
        assertThat(dashboard.sqlStatementsRun() - consoleRunsBefore).isLessThan(corpus().size());
        // Still answering, through the console and the API.
        JsonNode count = postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) FROM posts")).json();
        assertThat(count.get("rows").get(0).get(0).asLong()).isEqualTo(postsBefore);
        assertThat(Http.get(base, "/api/overview").json().get("posts").asLong()).isEqualTo(postsBefore);
    }

    @Test
    void refusalsSayWhy() throws Exception {
        assertThat(error("SELECT * FROM enable_logging(storage = 'file', storage_path = '/tmp/x')"))
                .contains("read-only").contains("enable_logging()");
        assertThat(error("SELECT * FROM query('SELECT 1')")).contains("query()");
        assertThat(error("/* /* */ EXPLAIN SELECT '*/ COPY (SELECT 1) TO 'x.csv' --'")).contains("read-only");
        assertThat(error("SELECT 1; SELECT 2")).contains("one statement");
        assertThat(error("SELECT * FROM read_csv('/etc/passwd')")).contains("only the lake");
        assertThat(Http.get(base, "/api/sql/download?format=parquet&sql=" + Http.enc("EXPLAIN SELECT 1")).json()
                .get("error").asText()).contains("CSV");
    }

    @Test
    void readingQueriesStillWork() throws Exception {
        for (String ok : List.of("EXPLAIN SELECT count(*) FROM posts", "EXPLAIN ANALYZE SELECT count(*) FROM posts",
                "SELECT * FROM (PIVOT posts ON platform IN ('x', 'bluesky') USING count(*))", "SELECT * FROM read_parquet('" + lake + "/posts/*/*/*.parquet')",
                "SELECT count(*) FROM glob('" + lake + "/posts/**')", "SELECT * FROM duckdb_views()",
                "UNPIVOT posts ON like_count, reply_count INTO NAME k VALUE v",
                "SELECT '/* not a comment' AS a, $$ ; COPY $$ AS b -- trailing", "/* /* nested */ */ SELECT 1")) {
            var answer = postJson(base, "/api/sql", Map.of("sql", ok));
            assertThat(answer.status()).as(ok + " → " + answer.body()).isEqualTo(200);
        }
        var parquet = Http.get(base, "/api/sql/download?format=parquet&sql=" + Http.enc("SELECT 1 AS a -- trailing comment"));
        assertThat(parquet.status()).as(parquet.body()).isEqualTo(200);

        // Huge values are cut in the page's answer (the CSV download has them whole).
        JsonNode huge = postJson(base, "/api/sql", Map.of("sql", "SELECT repeat('x', 20000000) AS x FROM range(4)")).json();
        assertThat(huge.get("rows")).hasSize(4);
        assertThat(huge.get("rows").get(0).get(0).asText()).hasSizeLessThan(200_000).contains("20000000 characters, cut");
    }

    @Test
    void aDownloadThatFailsHalfWayLeavesNoFile() throws Exception {
        String spill = postJson(base, "/api/sql", Map.of("sql", "SELECT current_setting('temp_directory')")).json()
                .get("rows").get(0).get(0).asText();
        Path exports = Path.of(spill).resolveSibling("console");
        assertThat(exports).isDirectory();
        var failed = Http.get(base, "/api/sql/download?format=parquet&sql="
                + Http.enc("SELECT CASE WHEN i > 5 THEN error('boom') END AS x FROM range(10) t(i)"));
        assertThat(failed.status()).isEqualTo(422);
        try (Stream<Path> left = Files.list(exports)) {
            assertThat(left).isEmpty();
        }
    }

    private static String error(String sql) throws Exception {
        var answer = postJson(base, "/api/sql", Map.of("sql", sql));
        assertThat(answer.status()).as(sql).isEqualTo(400);
        return answer.json().get("error").asText();
    }

    /** Tables and views of the console's database, with their SQL. */
    private static String catalog() throws Exception {
        JsonNode answer = postJson(base, "/api/sql", Map.of("sql",
                "SELECT 'view' AS kind, view_name AS name, sql FROM duckdb_views() WHERE NOT internal UNION ALL"
                        + " SELECT 'table', table_name, sql FROM duckdb_tables() UNION ALL"
                        + " SELECT 'database', database_name, coalesce(path, '') FROM duckdb_databases() ORDER BY 1, 2",
                "max_rows", 10_000)).json();
        assertThat(answer.get("rows").size()).isGreaterThan(5);
        return answer.get("rows").toString();
    }

    /**
     * Every file (path → size and SHA-256) under the lake, the outside folder and DuckDB's home
     * folder, and the names directly in the working directory and the system's temp folder.
     */
    private static Map<String, String> everythingWeCanSee() throws IOException {
        Map<String, String> seen = new TreeMap<>();
        for (Path root : List.of(lake, outside, Path.of(System.getProperty("user.home"), ".duckdb"),
                dashboard.database().folder().resolve("console"), dashboard.database().folder().resolve("spill"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.toList()) {
                    seen.put(p.toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + " " + sha256(p));
                }
            }
        }
        for (Path folder : List.of(Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> names = Files.list(folder)) {
                names.forEach(p -> seen.put(p.toString(), "present"));
            }
        }
        return seen;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String difference(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                changes.add((before.containsKey(k) ? "changed " : "new ") + k);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changes.add("gone " + k));
        return String.join(", ", changes);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
