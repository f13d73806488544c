package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.operators.enrich.EnrichmentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The job writes its lake to {@code s3://tidings-test/lake} on a real S3 API (S3Proxy in its own
 * JVM) through Flink's S3 file system loaded as a plugin, survives an injected failure, and the
 * objects read back with plain DuckDB hold every post exactly once.
 */
class S3LakeTest {
    static final String BUCKET = "tidings-test";

    @TempDir
    static Path serverDir;

    static S3ProxyServer s3proxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3proxy = S3ProxyServer.start(serverDir);
        try (S3Client s3 = s3proxy.client()) {
            s3.createBucket(r -> r.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Test
    void theLakeOnS3HoldsEveryPostOnceAfterAFailure() throws Exception {
        List<String> posts = TestPosts.genericPosts("s3-", 1_200, 42);
        Path input = TestPosts.write(dir.resolve("posts.jsonl"), posts);
        JobSettings.Builder settings = JobSettings.builder();
        settings.files(List.of(input.toAbsolutePath().toString()));
        settings.lake("s3://" + BUCKET + "/lake");
        settings.s3Endpoint(s3proxy.endpoint);
        settings.s3PathStyle(true);
        settings.checkpointDir(dir.resolve("checkpoints").toString());
        settings.checkpointInterval(Duration.ofMillis(500));
        settings.parallelism(2);
        // -Dtidings.test.model=DIR tries the test on another model build than the bundled one.
        String model = System.getProperty("tidings.test.model");
        if (model != null) {
            settings.enrichment(new EnrichmentSettings(model, 1, 2, 32, 20));
        }
        TidingsJobTest.FailOnce.FAILED.set(false);
        TidingsJobTest.FailOnce.SEEN.set(0);
        TidingsJobTest.FailOnce.failAt = 300 + new Random().nextInt(600);
        Map<String, String> environment = Map.of(
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);

        LocalRunner.Summary summary = new LocalRunner(settings.build(), null, environment)
                .run(stream -> stream.map(new TidingsJobTest.FailOnce()).uid("fail-once").name("fail once"));

        assertThat(TidingsJobTest.FailOnce.FAILED).isTrue();
        Path lake = dir.resolve("downloaded");
        List<String> keys;
        try (S3Client s3 = s3proxy.client()) {
            keys = S3ProxyServer.download(s3, BUCKET, "lake/", lake);
        }
        // Committed part files only: Parquet under posts/ and entities/ in dt=/hour= folders, nothing in
        // progress; and the lake's layout, by hour, recorded at its root.
        assertThat(keys).contains("lake/" + io.tidings.athena.LakeLayout.MARKER);
        assertThat(keys).filteredOn(key -> !key.endsWith(io.tidings.athena.LakeLayout.MARKER)).isNotEmpty().allSatisfy(key ->
                assertThat(key).matches("lake/(posts|entities)/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/part-[^/]+\\.parquet"));
        assertThat(io.tidings.athena.LakeLayout.of(lake)).isEqualTo(io.tidings.athena.LakeLayout.HOUR);
        List<String> ids = LakeContents.postIds(lake);
        assertThat(ids).hasSize(posts.size());
        assertThat(new HashSet<>(ids)).isEqualTo(posts.stream()
                .map(line -> "generic:" + line.substring(7, line.indexOf('"', 7))).collect(Collectors.toSet()));
        assertThat(summary.deadLetters()).isZero();
        assertThat(LakeContents.count(lake, "posts", "SELECT count(sentiment) FROM {posts}")).isPositive();
        assertThat(LakeContents.count(lake, "entities", "SELECT count(*) FROM {entities}")).isPositive();
    }

    @Test
    void credentialsGoToTheFileSystemsOnlyNeverIntoTheJobConfiguration() {
        JobSettings.Builder settings = JobSettings.builder();
        settings.files(List.of("posts.jsonl"));
        settings.lake("s3://" + BUCKET + "/lake");
        settings.s3Endpoint("http://127.0.0.1:9000");
        settings.s3PathStyle(true);
        LocalRunner runner = new LocalRunner(settings.build(), null,
                Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-logged"));

        assertThat(runner.fileSystemConfiguration().toMap())
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .containsEntry("s3.path.style.access", "true")
                .containsEntry("s3.directory.marker.retention", "keep")
                .containsEntry("s3.access-key", "AKIDEXAMPLE")
                .containsEntry("s3.secret-key", "not-logged");
        assertThat(runner.configuration().toMap().keySet()).noneMatch(key -> key.startsWith("s3."));
        assertThat(new LocalRunner(settings.build(), null, Map.of()).fileSystemConfiguration().toMap())
                .doesNotContainKeys("s3.access-key", "s3.secret-key");
    }
}
