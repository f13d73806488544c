package io.tidings.dashboard;

import static io.tidings.dashboard.Http.enc;
import static io.tidings.dashboard.Http.get;
import static io.tidings.dashboard.Http.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.athena.LakeLayout;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.lake.LakeUnavailableException;
import io.tidings.dashboard.lake.S3LakeRoot;
import io.tidings.testing.MotoExtension;
import io.tidings.testing.MotoServer;
import io.tidings.testing.ServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code serve --lake s3://…}: the same lake served from a local folder and from moto's S3 (a real
 * S3 API on a local port), through DuckDB's httpfs extension as {@code make duckdb-httpfs} installs
 * it. The answers must be the same, a file put into the bucket later must show up, the SQL console
 * must read the lake's prefix only and write nothing, and a lake that cannot be read must say why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3LakeDashboardTest {
    static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    static final String BUCKET = "tidings-dashboard";

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension().withDefaultChain();

    @TempDir
    static Path lake;
    static S3Client s3;
    static Dashboard local;
    static Dashboard remote;
    static final Set<Path> uploaded = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        Path httpfs;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            httpfs = S3LakeRoot.httpfsExtension(duckdb);
        }
        if (!Files.isRegularFile(httpfs)) {
            if (MotoServer.required()) {
                throw new IllegalStateException(httpfs + " missing and TIDINGS_REQUIRE_TOOLS is set: run make duckdb-httpfs");
            }
            Assumptions.abort("DuckDB's httpfs extension is not installed (make duckdb-httpfs): " + httpfs);
        }
        s3 = moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(r -> r.bucket(BUCKET));
        // A day-partitioned lake: its layout is known only from the marker object, read from S3.
        FixtureLake.writeSample(lake, END, LakeLayout.DAY);
        upload();
        // Beside the lake, for the console to be refused.
        s3.putObject(r -> r.bucket(BUCKET).key("elsewhere/secret.csv"), RequestBody.fromString("a,b\n1,2\n"));
        local = Dashboard.start(Dashboard.Options.local(lake));
        remote = Dashboard.start(new Dashboard.Options(s3Lake("s3://" + BUCKET + "/lake"), "127.0.0.1", 0, null, List.of(), null,
                Duration.ofSeconds(10), null));
    }

    @AfterAll
    static void stop() {
        if (remote != null) {
            remote.close();
        }
        if (local != null) {
            local.close();
        }
    }

    static S3LakeRoot s3Lake(String location) {
        return S3LakeRoot.of(location, new S3LakeRoot.Settings(moto.endpoint(), true));
    }

    /** Copies the local lake's files not copied yet into the bucket under lake/, as the job's commits add objects. */
    static void upload() throws Exception {
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                if (uploaded.add(file)) {
                    String key = "lake/" + lake.relativize(file).toString().replace('\\', '/');
                    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromFile(file));
                }
            }
        }
    }

    static List<String> keys() {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream().map(S3Object::key).sorted().toList();
    }

    /** An answer without what differs by where the lake is (its path, the files' times, the version's hash). */
    static JsonNode answer(Dashboard dashboard, String pathAndQuery) throws Exception {
        Http.Answer a = get(dashboard.url(), pathAndQuery);
        assertThat(a.status()).as(pathAndQuery + " → " + a.body()).isEqualTo(200);
        JsonNode json = a.json().deepCopy();
        if (json instanceof ObjectNode o) {
            o.remove(List.of("lake_version", "lake", "last_commit"));
        }
        return json;
    }

    static final List<String> ENDPOINTS = List.of("/api/overview", "/api/timeseries?bucket=hour", "/api/entities",
            "/api/terms?kind=hashtag", "/api/terms?kind=domain", "/api/posts?limit=50", "/api/posts?sort=engagement",
            "/api/entity?text=Bitcoin&type=ORG", "/api/overview?platform=x&entity=Bitcoin&entity_type=ORG",
            "/api/trending?window=1h&baseline=1d&min=1&min_score=0&min_ratio=0", "/api/health");

    @Test
    @Order(1)
    void answersTheSameAsTheSameLakeServedLocally() throws Exception {
        JsonNode overview = answer(remote, "/api/overview");
        assertThat(overview.get("posts").asLong()).isEqualTo(11); // 12 posts, one deleted
        assertThat(answer(remote, "/api/entities").get("entities").findValuesAsText("text")).contains("Bitcoin", "Satoshi", "Berlin");
        JsonNode health = answer(remote, "/api/health");
        assertThat(health.get("dead_letters").get("count").asLong()).isEqualTo(2);
        assertThat(health.get("files").asInt()).isPositive();
        assertThat(get(remote.url(), "/api/health").json().get("lake").asText()).isEqualTo("s3://" + BUCKET + "/lake");
        assertThat(get(remote.url(), "/api/health").json().get("last_commit").isNull()).isFalse();
        for (String endpoint : ENDPOINTS) {
            assertThat(answer(remote, endpoint)).as(endpoint).isEqualTo(answer(local, endpoint));
        }
    }

    @Test
    @Order(2)
    void aFilePutIntoTheBucketShowsUp() throws Exception {
        String before = get(remote.url(), "/api/lake-version").json().get("lake_version").asText();
        FixtureLake commit = FixtureLake.at(lake);
        FixtureLake.Post post = commit.post("x:900", END.minusSeconds(5 * 60), "Bitcoin again, from a later commit #later");
        post.platform = "x";
        post.hashtags = List.of("later");
        post.sentiment = "positive";
        commit.entity("x:900", "Bitcoin", "ORG", 0, 7, 0.99);
        commit.commit();
        upload();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (answer(remote, "/api/overview").get("posts").asLong() != 12 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(answer(remote, "/api/overview").get("posts").asLong()).isEqualTo(12);
        assertThat(get(remote.url(), "/api/lake-version").json().get("lake_version").asText()).isNotEqualTo(before);
        while (answer(local, "/api/overview").get("posts").asLong() != 12 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        for (String endpoint : ENDPOINTS) {
            assertThat(answer(remote, endpoint)).as(endpoint).isEqualTo(answer(local, endpoint));
        }
        assertThat(answer(remote, "/api/terms?kind=hashtag").toString()).contains("\"later\"");
    }

    @Test
    @Order(3)
    void theConsoleReadsTheLakesPrefixAndWritesNothing() throws Exception {
        URI base = remote.url();
        JsonNode counted = postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) AS n FROM posts")).json();
        assertThat(counted.get("rows").get(0).get(0).asLong()).isEqualTo(answer(local, "/api/overview").get("posts").asLong());
        Http.Answer files = postJson(base, "/api/sql", Map.of("sql",
                "SELECT count(*) FROM read_parquet('s3://" + BUCKET + "/lake/posts/*/*.parquet')"));
        assertThat(files.status()).as(files.body()).isEqualTo(200);
        assertThat(files.json().get("rows").get(0).get(0).asLong()).isPositive();

        List<String> keysBefore = keys();
        String inLake = "s3://" + BUCKET + "/lake/posts/dt=2026-11-26/evil.parquet";
        for (String write : List.of(
                "COPY (SELECT * FROM posts) TO '" + inLake + "' (FORMAT parquet)",
                "COPY posts_all TO 's3://" + BUCKET + "/elsewhere/copy.csv'",
                // DuckDB nests block comments: this is a COPY, as the console that wrote into a lake once missed.
                "/* /* */ EXPLAIN SELECT '*/ COPY (SELECT 1) TO '" + inLake + "' --'",
                "SELECT 1; COPY (SELECT 1) TO '" + inLake + "'",
                "EXPORT DATABASE 's3://" + BUCKET + "/lake/export'",
                "CREATE SECRET evil (TYPE s3, KEY_ID 'a', SECRET 'b')",
                "SET s3_endpoint = 'attacker.example'",
                "SELECT * FROM duckdb_secrets()",
                "SELECT * FROM which_secret('s3://" + BUCKET + "/lake/x', 's3')")) {
            Http.Answer refused = postJson(base, "/api/sql", Map.of("sql", write));
            assertThat(refused.status()).as(write + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).as(write).startsWith("refused");
            Http.Answer download = get(base, "/api/sql/download?format=parquet&sql=" + enc(write));
            assertThat(download.status()).as("download of " + write).isEqualTo(400);
        }
        for (String outside : List.of("SELECT * FROM read_csv('s3://" + BUCKET + "/elsewhere/secret.csv')",
                "SELECT * FROM glob('s3://" + BUCKET + "/*/*')",
                "SELECT * FROM read_csv('s3://" + BUCKET + "/lake/../elsewhere/secret.csv')",
                "SELECT * FROM read_text('http://127.0.0.1:" + moto.endpoint().getPort() + "/" + BUCKET + "/elsewhere/secret.csv')")) {
            Http.Answer refused = postJson(base, "/api/sql", Map.of("sql", outside));
            assertThat(refused.status()).as(outside + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).as(outside).doesNotContain("1,2");
        }
        assertThat(keys()).isEqualTo(keysBefore);
    }

    @Test
    @Order(4)
    void aLakeThatCannotBeReadSaysWhy() throws Exception {
        assertThatThrownBy(() -> Dashboard.start(new Dashboard.Options(s3Lake("s3://no-such-bucket/lake"), "127.0.0.1", 0, null,
                List.of(), null, null, null)))
                .isInstanceOfSatisfying(LakeUnavailableException.class, e -> assertThat(e.setup()).isFalse())
                .hasMessage("cannot read the lake s3://no-such-bucket/lake: the bucket no-such-bucket does not exist");
        URI nobody = URI.create("http://127.0.0.1:" + ServerProcess.freeLoopbackPort());
        assertThatThrownBy(() -> Dashboard.start(new Dashboard.Options(S3LakeRoot.of("s3://" + BUCKET + "/lake",
                new S3LakeRoot.Settings(nobody, true)), "127.0.0.1", 0, null, List.of(), null, null, null)))
                .isInstanceOfSatisfying(LakeUnavailableException.class, e -> assertThat(e.setup()).isFalse())
                .hasMessageStartingWith("cannot read the lake s3://" + BUCKET + "/lake: cannot reach S3 at " + nobody);
        String saved = System.getProperty("tidings.duckdb.extensions");
        Path empty = Files.createTempDirectory(lake.getParent(), "no-extensions");
        System.setProperty("tidings.duckdb.extensions", empty.toString());
        try {
            assertThatThrownBy(() -> Dashboard.start(new Dashboard.Options(s3Lake("s3://" + BUCKET + "/lake"), "127.0.0.1", 0, null,
                    List.of(), null, null, null)))
                    .isInstanceOfSatisfying(LakeUnavailableException.class, e -> assertThat(e.setup()).isTrue())
                    .hasMessageContaining("httpfs extension, which is not installed")
                    .hasMessageContaining("make duckdb-httpfs");
        } finally {
            if (saved == null) {
                System.clearProperty("tidings.duckdb.extensions");
            } else {
                System.setProperty("tidings.duckdb.extensions", saved);
            }
        }
        assertThatThrownBy(() -> S3LakeRoot.of("s3://Bad_Bucket/lake", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3LakeRoot.of("s3://" + BUCKET + "/lake/../other", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
