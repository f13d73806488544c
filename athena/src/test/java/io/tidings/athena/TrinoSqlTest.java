package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's SQL on a real Trino (Athena engine v3 is Trino): a Trino server (Maven Central's
 * {@code trino-server-core} + the memory connector, unpacked by the build under {@code
 * target/trino}) started as its own JVM on a Java 24+ runtime, the lake's tables created with the
 * Trino types of {@link LakeTables} and filled with exactly the rows of a {@link TestLake}, then
 * every view of {@link LakeSql} created with the same {@code CREATE OR REPLACE VIEW} DuckDB runs,
 * and every named query run: each must be accepted by Trino and answer exactly as DuckDB answers
 * over the same rows. Trino needs Java 24 or newer, the build Java 17: the runtime is found via
 * {@code TIDINGS_TRINO_JAVA_HOME}, else any JDK under /usr/lib/jvm or /opt whose {@code release}
 * file says 24 or more; without one the test is skipped, unless {@code TIDINGS_REQUIRE_TOOLS=1}.
 */
class TrinoSqlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @TempDir
    static Path work;

    static Process trino;
    static URI server;
    static LocalLake duckdb;

    @BeforeAll
    static void startTrino() throws Exception {
        Optional<Path> java = javaForTrino();
        boolean required = "1".equals(System.getenv("TIDINGS_REQUIRE_TOOLS"));
        assumeTrue(java.isPresent() || required, "no Java 24+ runtime for Trino (set TIDINGS_TRINO_JAVA_HOME)");
        assertThat(java).as("a Java 24+ runtime for Trino (TIDINGS_REQUIRE_TOOLS is set)").isPresent();
        Path home = trinoHome();

        Path etc = Files.createDirectories(work.resolve("etc/catalog"));
        Files.writeString(etc.resolve("memory.properties"), "connector.name=memory\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = work.resolve("etc/config.properties");
        Files.writeString(config, String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "plugin.dir=" + home.getParent().resolve("connectors"),
                "catalog.config-dir=" + etc,
                "query.max-memory=512MB",
                "query.max-memory-per-node=256MB", ""));
        Path log = work.resolve("trino.log");
        trino = new ProcessBuilder(java.get().toString(), "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dnode.environment=test", "-Dnode.id=tidings-sql-check", "-Dnode.data-dir=" + work.resolve("data"),
                "-Dconfig=" + config, "-cp", home.resolve("lib") + "/*", "io.trino.server.TrinoServer")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A test JVM that is killed must not leave a Trino server behind.
        Process started = trino;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        server = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!started()) {
            assertThat(trino.isAlive()).as("Trino exited:\n" + tail(log)).isTrue();
            assertThat(System.nanoTime()).as("Trino did not start in 240 s:\n" + tail(log)).isLessThan(deadline);
            Thread.sleep(500);
        }

        Path lake = work.resolve("lake");
        TestLake.write(lake, 3, 20);
        TestLake.writeEdits(lake, 20);
        TestLake.writeRescores(lake);
        plantBurst(lake);
        duckdb = LocalLake.open(lake);
        execute("CREATE SCHEMA memory.tidings");
        for (LakeTables.Table table : LakeTables.ALL) {
            List<LakeTables.Column> columns = Stream.concat(table.columns().stream(), LakeTables.PARTITION_COLUMNS.stream()).toList();
            execute("CREATE TABLE " + table.name() + " ("
                    + columns.stream().map(c -> c.name() + " " + c.trinoType()).collect(Collectors.joining(", ")) + ")");
            QueryResult rows = duckdb.query("SELECT " + columns.stream().map(LakeTables.Column::name).collect(Collectors.joining(", "))
                    + " FROM " + table.name(), Integer.MAX_VALUE);
            assertThat(rows.rows()).as(table.name()).isNotEmpty();
            List<String> values = new ArrayList<>();
            for (List<Object> row : rows.rows()) {
                List<String> literals = new ArrayList<>();
                for (int c = 0; c < columns.size(); c++) {
                    literals.add(literal(row.get(c), columns.get(c).trinoType()));
                }
                values.add("(" + String.join(", ", literals) + ")");
            }
            execute("INSERT INTO " + table.name() + " VALUES " + String.join(",\n", values));
        }
    }

    @AfterAll
    static void stopTrino() throws Exception {
        if (trino != null) {
            trino.destroy();
            if (!trino.waitFor(20, TimeUnit.SECONDS)) {
                trino.destroyForcibly();
            }
        }
        if (duckdb != null) {
            duckdb.close();
        }
    }

    @Test
    void trinoAcceptsEveryViewAndNamedQueryAndAnswersAsDuckDb() throws Exception {
        for (String view : LakeSql.VIEWS) {
            execute(LakeSql.createView(view));
        }
        for (String view : LakeSql.VIEWS) {
            String sql = "SELECT * FROM " + view;
            assertThat(sorted(execute(sql).rows())).as(view).isEqualTo(sorted(EngineRows.comparable(duckdb.query(sql, Integer.MAX_VALUE).rows())));
        }
        for (String name : LakeSql.QUERIES) {
            String sql = LakeSql.query(name).sql();
            QueryResult fromTrino = execute(sql);
            QueryResult fromDuckDb = duckdb.query(sql, Integer.MAX_VALUE);
            assertThat(fromTrino.rows()).as(name).isNotEmpty();
            assertThat(fromTrino.columns()).as(name).isEqualTo(fromDuckDb.columns());
            // Ties in ORDER BY may come in either order; the rows themselves must be the same.
            assertThat(sorted(fromTrino.rows())).as(name).isEqualTo(sorted(EngineRows.comparable(fromDuckDb.rows())));
        }
        // The deleted post (TestLake's tombstone) is invisible through the views on Trino too.
        assertThat(execute("SELECT count(*) FROM posts WHERE post_id = 'x:1000003'").rows()).containsExactly(List.of(0L));
        assertThat(execute("SELECT count(*) FROM posts_all WHERE post_id = 'x:1000003'").rows()).containsExactly(List.of(1L));
    }

    @Test
    void trendingFindsThePlantedBurstOnTrino() throws Exception {
        execute(LakeSql.createView("posts"));
        execute(LakeSql.createView("entities"));
        execute(LakeSql.createView("trending"));
        String sql = "SELECT kind, key, label, posts, is_new FROM trending WHERE trending ORDER BY kind";
        // The new hashtag and entity of the burst; the words surge and acme are listed under them, not as terms.
        assertThat(execute(sql).rows()).containsExactly(List.of("entity", "acme", "Acme", 8L, true), List.of("hashtag", "surge", "surge", 8L, true));
        assertThat(EngineRows.comparable(duckdb.query(sql, 100).rows())).isEqualTo(execute(sql).rows());
    }

    /**
     * Eight more posts in TestLake's last hour, all with the new hashtag #Surge and the new entity
     * Acme, so the trending view has keys that trend (and are new) on both engines, not only
     * steady ones.
     */
    private static void plantBurst(Path lake) throws Exception {
        Path hour = lake.resolve("posts/dt=" + TestLake.DAY + "/hour=02");
        String source = "read_parquet('" + hour.resolve("part-0.parquet") + "', hive_partitioning = false)";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * REPLACE ('x:9' || substr(post_id, 3) AS post_id, ['Surge'] AS hashtags,"
                    + " 'Surge at Acme' AS text) FROM " + source + " ORDER BY post_id LIMIT 8)"
                    + " TO '" + hour.resolve("part-burst.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT 'x:9' || substr(post_id, 3) AS post_id, created_at, 'Acme' AS text, 'ORG' AS type,"
                    + " 9::INTEGER AS char_start, 13::INTEGER AS char_end, 0.875::DOUBLE AS score, 'tweet-multitask@1' AS model_version,"
                    + " 'acme' AS text_key FROM " + source + " ORDER BY post_id LIMIT 8)"
                    + " TO '" + lake.resolve("entities/dt=" + TestLake.DAY + "/hour=02/part-burst.parquet") + "' (FORMAT parquet)");
        }
    }

    @Test
    void trinoShowsTheNewestVersionOfEachPostAsDuckDbDoes() throws Exception {
        for (String view : LakeSql.VIEWS) {
            execute(LakeSql.createView(view));
        }
        // TestLake.writeEdits: x:1000000 edited twice, its second edit read by two runs.
        assertThat(execute("SELECT count(*) FROM posts_all WHERE post_id = 'x:1000000'").rows()).containsExactly(List.of(5L));
        assertThat(execute("SELECT text, ingested_at FROM posts WHERE post_id = 'x:1000000'").rows()).containsExactly(List.of(
                "edited again: post number 0 about Berlin and Rome", LocalDateTime.parse("2026-11-20T01:21:00")));
        // TestLake.writeRescores: x:1000000's newest version scored again, finding Rome only.
        assertThat(execute("SELECT model_version, sentiment FROM posts WHERE post_id = 'x:1000000'").rows())
                .containsExactly(List.of("tweet-multitask@2", "positive"));
        assertThat(execute("SELECT text, model_version FROM entities WHERE post_id = 'x:1000000' ORDER BY text").rows())
                .containsExactly(List.of("Rome", "tweet-multitask@2"));
        assertThat(execute("SELECT version_number, is_newest, model_version FROM post_versions WHERE post_id = 'x:1000000'"
                + " ORDER BY version_number").rows())
                .containsExactly(List.of(1L, false, "tweet-multitask@1"), List.of(2L, false, "tweet-multitask@1"),
                        List.of(3L, false, "tweet-multitask@1"), List.of(4L, false, "tweet-multitask@1"),
                        List.of(5L, true, "tweet-multitask@2"));
        // Rescores that found no entity leave their posts none, mentions without ingested_at (x:1000021's) included.
        assertThat(execute("SELECT post_id, model_version FROM posts WHERE post_id IN ('x:1000009', 'x:1000021') ORDER BY post_id").rows())
                .containsExactly(List.of("x:1000009", "tweet-multitask@2"), List.of("x:1000021", "tweet-multitask@2"));
        assertThat(execute("SELECT count(*) FROM entities_all WHERE post_id IN ('x:1000009', 'x:1000021')").rows())
                .containsExactly(List.of(2L));
        assertThat(execute("SELECT count(*) FROM entities WHERE post_id IN ('x:1000009', 'x:1000021')").rows())
                .containsExactly(List.of(0L));
        String rescored = "SELECT post_id, model_version, sentiment FROM posts WHERE model_version = 'tweet-multitask@2' ORDER BY post_id";
        assertThat(execute(rescored).rows()).isEqualTo(EngineRows.comparable(duckdb.query(rescored, 10).rows()));
        String mentions = "SELECT post_id, text FROM entities ORDER BY post_id, text, char_start";
        assertThat(execute(mentions).rows()).isEqualTo(EngineRows.comparable(duckdb.query(mentions, 1000).rows()));
        // One row per post in posts (TestLake writes no unedited post twice), every live post there:
        // TestLake's 59 and the 8 of the planted burst.
        String counts = "SELECT count(*), count(DISTINCT post_id) FROM posts";
        assertThat(execute(counts).rows()).containsExactly(List.of(67L, 67L));
        assertThat(execute(counts).rows()).isEqualTo(EngineRows.comparable(duckdb.query(counts, 1).rows()));
        String edited = "SELECT count(*) FROM posts WHERE text LIKE 'edited%'";
        assertThat(execute(edited).rows()).containsExactly(List.of(7L));
        // Hour 1's edits are of posts whose first version is in a file without edited_at.
        assertThat(execute("SELECT count(*) FROM posts WHERE hour = 1 AND edited_at IS NOT NULL").rows()).containsExactly(List.of(3L));
        assertThat(execute("SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.post_id = e.post_id"
                + " AND p.ingested_at = coalesce(e.ingested_at, p.ingested_at)"
                + " AND coalesce(p.scored_at, p.ingested_at) = coalesce(e.scored_at, e.ingested_at, p.ingested_at))").rows())
                .as("every live mention is of the posts row shown").containsExactly(List.of(0L));
    }

    @Test
    void trinoRejectionsFailTheCheck() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> execute("SELECT count_if(sentiment) FROM posts_all"))
                .hasMessageContaining("count_if");
    }

    /** Runs one statement through Trino's client protocol (POST /v1/statement, then follow nextUri); any error throws. */
    static QueryResult execute(String sql) throws IOException, InterruptedException {
        HttpRequest.Builder first = HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Trino-User", "tidings").header("X-Trino-Catalog", "memory").header("X-Trino-Schema", "tidings")
                .POST(HttpRequest.BodyPublishers.ofString(sql));
        JsonNode page = JSON.readTree(HTTP.send(first.build(), HttpResponse.BodyHandlers.ofString()).body());
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        while (true) {
            if (page.hasNonNull("error")) {
                throw new AssertionError("Trino rejected:\n" + sql + "\n→ " + page.get("error").path("errorName").asText()
                        + ": " + page.get("error").path("message").asText());
            }
            if (columns.isEmpty() && page.has("columns")) {
                for (JsonNode column : page.get("columns")) {
                    columns.add(column.get("name").asText());
                    types.add(column.get("type").asText());
                }
            }
            for (JsonNode row : page.path("data")) {
                List<Object> values = new ArrayList<>();
                for (int c = 0; c < columns.size(); c++) {
                    values.add(value(row.get(c), types.get(c)));
                }
                rows.add(values);
            }
            if (!page.hasNonNull("nextUri")) {
                return new QueryResult(columns, rows, false);
            }
            HttpRequest next = HttpRequest.newBuilder(URI.create(page.get("nextUri").asText())).header("X-Trino-User", "tidings").build();
            page = JSON.readTree(HTTP.send(next, HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    /** Trino's JSON value as the Java value the Athena runner makes of the same type (Athena is Trino). */
    private static Object value(JsonNode node, String type) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(item.isNull() ? null : item.asText()));
            return items;
        }
        return AthenaRunner.typed(node.asText(), type);
    }

    /** A Trino literal of the given type for a value DuckDB read from the lake. */
    private static String literal(Object value, String trinoType) {
        if (value == null) {
            return "CAST(NULL AS " + trinoType + ")";
        }
        return switch (trinoType) {
            case "varchar" -> quote(value.toString());
            case "bigint", "integer", "boolean" -> value.toString();
            case "double" -> "DOUBLE '" + value + "'";
            case "date" -> "DATE '" + value + "'";
            case "timestamp(3)" -> "TIMESTAMP '" + TIMESTAMP.format(value instanceof java.sql.Timestamp t
                    ? t.toLocalDateTime() : (LocalDateTime) value) + "'";
            case "array(varchar)" -> "CAST(ARRAY[" + ((List<?>) value).stream().map(v -> quote(String.valueOf(v)))
                    .collect(Collectors.joining(", ")) + "] AS array(varchar))";
            default -> throw new IllegalStateException("no literal for " + trinoType);
        };
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }

    private static boolean started() {
        try {
            HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(server.resolve("/v1/info"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return info.statusCode() == 200 && !JSON.readTree(info.body()).path("starting").asBoolean(true);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The server the build unpacked: target/trino/trino-server-core-VERSION. */
    private static Path trinoHome() throws IOException {
        Path trino = Path.of("target", "trino");
        assertThat(trino).as("target/trino (unpacked by the build's generate-test-resources)").isDirectory();
        try (Stream<Path> entries = Files.list(trino)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("trino-server-core-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no trino-server-core-* under target/trino"));
        }
    }

    /** A java launcher of Java 24 or newer, which Trino requires. */
    static Optional<Path> javaForTrino() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("TIDINGS_TRINO_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String root : List.of("/usr/lib/jvm", "/opt")) {
            if (Files.isDirectory(Path.of(root))) {
                try (Stream<Path> homes = Files.list(Path.of(root))) {
                    homes.sorted(Comparator.reverseOrder()).forEach(candidates::add);
                }
            }
        }
        for (Path home : candidates) {
            Path java = home.resolve("bin/java");
            Path release = home.resolve("release");
            if (Files.isExecutable(java) && Files.isRegularFile(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        int major = Integer.parseInt(version.split("[.+-]")[0]);
                        if (major >= 24) {
                            return Optional.of(java);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
