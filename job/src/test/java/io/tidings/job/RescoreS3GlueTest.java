package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.glue.GlueLakeCatalog;
import io.tidings.job.rescore.RescoreSettings;
import io.tidings.operators.enrich.EnrichmentSettings;
import io.tidings.testing.MotoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same rescore on an {@code s3://} lake, with moto as S3 and as the Glue Data Catalog: it reads
 * the lake's Parquet objects through Flink's S3 file system, writes the new rows beside them, and
 * registers the partitions it wrote in Glue as an import does; the Glue tables have the column
 * {@code scored_at} that Athena's views order by.
 */
class RescoreS3GlueTest {
    static final String BUCKET = "tidings-rescore";
    static final String DATABASE = "rescore_lake";
    static final String NEW = "tweet-multitask@" + RescoreModels.VERSION;

    @TempDir
    Path dir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension().withDefaultChain();
    static GlueClient glue;
    static S3Client s3;

    @BeforeAll
    static void clients() {
        glue = moto.client(GlueClient.builder());
        s3 = moto.client(S3Client.builder().forcePathStyle(true));
        s3.createBucket(r -> r.bucket(BUCKET));
    }

    @Test
    void aRescoreOfAnS3LakeWritesBesideTheOldRowsAndRegistersItsPartitions() throws Exception {
        String lake = "s3://" + BUCKET + "/lake";
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, DATABASE, lake);
        catalog.ensureDatabase();
        catalog.ensureTables("2026-01-01");
        assertThat(glue.getTable(r -> r.databaseName(DATABASE).name("posts_all")).table().storageDescriptor().columns())
                .extracting(c -> c.name() + " " + c.type()).contains("scored_at timestamp");
        List<String> posts = TestPosts.genericPosts("s", 300, 8);
        JobSettings.Builder importing = s3Settings(lake, "checkpoints-import");
        importing.files(List.of(TestPosts.write(dir.resolve("posts.jsonl"), posts).toString()));
        // The posts the model scores (English): only those get a new row, the others' would say the same.
        long scorable = new LocalRunner(importing.build(), null, credentials()).run().scored();
        assertThat(scorable).isBetween(200L, 300L);
        // Partitions the rescore must register again: as if the import had run without --glue-database.
        List<Partition> imported = partitions("posts_all");
        assertThat(imported).isNotEmpty();
        for (Partition partition : imported) {
            glue.deletePartition(r -> r.databaseName(DATABASE).tableName("posts_all").partitionValues(partition.values()));
        }
        assertThat(partitions("posts_all")).isEmpty();

        JobSettings.Builder rescore = s3Settings(lake, "checkpoints-rescore");
        rescore.enrichment(new EnrichmentSettings(RescoreModels.flipped(dir.resolve("model")).toString(), 1, 2, 32, 20));
        // As the rescore command does: the lake's days are listed once its file system is set up.
        new LocalRunner(rescore.rescore(new RescoreSettings(List.of(), 0, NEW)).build(), null, credentials()).initializeFileSystems();
        List<String> days = RescoreJob.dayFolders(lake, null, null);
        assertThat(days).containsExactly(lake + "/posts/dt=2026-11-20");
        LocalRunner.Summary summary = new LocalRunner(rescore.rescore(new RescoreSettings(days, days.size(), NEW)).build(), null,
                credentials()).run();
        assertThat(summary.written()).isEqualTo(scorable);

        Path downloaded = dir.resolve("downloaded");
        S3ProxyServer.download(s3, BUCKET, "lake/", downloaded);
        try (LocalLake sql = LocalLake.open(downloaded)) {
            assertThat(count(sql, "SELECT count(*) FROM posts_all")).isEqualTo(300 + scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts")).isEqualTo(300);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE scored_at IS NOT NULL")).isEqualTo(scorable);
            assertThat(count(sql, "SELECT count(*) FROM posts WHERE sentiment IS NOT NULL AND model_version <> '" + NEW + "'")).isZero();
            assertThat(count(sql, "SELECT count(*) FROM entities")).isZero();
            assertThat(count(sql, "SELECT count(*) FROM entities_all")).isPositive();
        }
        assertThat(partitions("posts_all")).extracting(p -> String.format("dt=%s/hour=%02d", p.values().get(0),
                        Integer.parseInt(p.values().get(1))))
                .containsExactlyInAnyOrderElementsOf(LakeContents.partitionFolders(downloaded.resolve("posts")));
    }

    private JobSettings.Builder s3Settings(String lake, String checkpoints) {
        JobSettings.Builder settings = JobSettings.builder();
        settings.lake(lake);
        settings.s3Endpoint(moto.endpoint().toString());
        settings.s3PathStyle(true);
        settings.checkpointDir(dir.resolve(checkpoints).toString());
        settings.checkpointInterval(Duration.ofSeconds(1));
        settings.parallelism(2);
        settings.glueDatabase(DATABASE);
        settings.glueEndpoint(moto.endpoint().toString());
        return settings;
    }

    private static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    }

    private static List<Partition> partitions(String table) {
        return glue.getPartitionsPaginator(r -> r.databaseName(DATABASE).tableName(table)).stream()
                .flatMap(page -> page.partitions().stream()).toList();
    }

    private static long count(LocalLake db, String sql) throws Exception {
        return ((Number) db.query(sql, 1).rows().get(0).get(0)).longValue();
    }
}
