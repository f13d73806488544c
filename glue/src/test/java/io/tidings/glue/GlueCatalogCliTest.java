package io.tidings.glue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeTables;
import io.tidings.testing.MotoExtension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code create-tables} as deploy.sh runs it, against moto's Glue and S3: the projection's first day comes
 * from the lake's data and the tables' current start, never from the calendar, and never moves later.
 */
class GlueCatalogCliTest {

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();
    static GlueClient glue;
    static S3Client s3;

    @BeforeAll
    static void clients() {
        glue = moto.client(GlueClient.builder());
        s3 = moto.client(S3Client.builder().forcePathStyle(true));
        // The CLI takes its credentials from the default chain, as it does in deploy.sh.
        moto.setProperty("aws.accessKeyId", "testing");
        moto.setProperty("aws.secretAccessKey", "testing");
    }

    @Test
    void theProjectionStartsAtTheLakesFirstDay() {
        s3.createBucket(r -> r.bucket("lake-with-history"));
        put("lake-with-history", "lake/posts/dt=2014-01-01/hour=00/part-0.parquet");
        put("lake-with-history", "lake/posts/dt=2012-05-01/hour=03/part-0.parquet");
        put("lake-with-history", "lake/entities/dt=2012-04-30/hour=23/part-0.parquet");
        put("lake-with-history", "lake/input-notes/dt=2001-01-01/ignored.txt");

        assertThat(createTables("history", "s3a://lake-with-history/lake")).isZero();

        for (LakeTables.Table expected : LakeTables.ALL) {
            Table table = table("history", expected.name());
            assertThat(table.parameters()).containsEntry("projection.dt.range", "2012-04-30,NOW")
                    .containsEntry("storage.location.template",
                            "s3://lake-with-history/lake/" + expected.folder() + "/dt=${dt}/hour=${hour}");
            assertThat(table.storageDescriptor().location()).isEqualTo("s3://lake-with-history/lake/" + expected.folder() + "/");
        }
    }

    @Test
    void aFirstDaySetOnceIsKeptAndTheStartOnlyMovesEarlier() {
        s3.createBucket(r -> r.bucket("lake-for-backfill"));
        String lake = "s3://lake-for-backfill/lake";
        assertThat(createTables("backfill", lake, "--first-day", "2012-01-01")).isZero();
        assertThat(firstDay("backfill")).isEqualTo("2012-01-01");

        // A later deploy does not say --first-day again.
        assertThat(createTables("backfill", lake)).isZero();
        assertThat(firstDay("backfill")).isEqualTo("2012-01-01");

        // A later day would hide what Athena shows today: the start stays.
        assertThat(createTables("backfill", lake, "--first-day", "2020-01-01")).isZero();
        assertThat(firstDay("backfill")).isEqualTo("2012-01-01");

        // Older files arrived (a backfill): the next run reaches back to them.
        put("lake-for-backfill", "lake/posts/dt=2010-06-01/hour=12/part-0.parquet");
        assertThat(createTables("backfill", lake)).isZero();
        assertThat(firstDay("backfill")).isEqualTo("2010-06-01");
    }

    @Test
    void aNewEmptyLakeStartsToday() {
        s3.createBucket(r -> r.bucket("lake-empty"));
        assertThat(createTables("empty", "s3://lake-empty/lake")).isZero();
        assertThat(firstDay("empty")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    }

    @Test
    void theEarliestCandidateWins() {
        LocalDate today = LocalDate.parse("2026-12-04");
        assertThat(ProjectionFirstDay.choose(Optional.empty(), Optional.empty(), Optional.empty(), today)).isEqualTo(today);
        assertThat(ProjectionFirstDay.choose(Optional.of(LocalDate.parse("2026-12-10")), Optional.empty(), Optional.empty(), today))
                .as("a day asked for in the future is still the first day").isEqualTo("2026-12-10");
        assertThat(ProjectionFirstDay.choose(Optional.of(LocalDate.parse("2013-01-01")), Optional.of(LocalDate.parse("2012-02-02")),
                Optional.of(LocalDate.parse("2014-03-03")), today)).isEqualTo("2012-02-02");
    }

    @Test
    void s3aLakesAreCataloguedAsS3() {
        assertThat(GlueTableInputs.catalogUri("s3a://bucket/lake")).isEqualTo("s3://bucket/lake");
        assertThat(GlueTableInputs.catalogUri("s3://bucket/lake")).isEqualTo("s3://bucket/lake");
        assertThat(GlueTableInputs.location(LakeTables.POSTS, "s3a://bucket/lake")).isEqualTo("s3://bucket/lake/posts/");
    }

    private static int createTables(String database, String lake, String... more) {
        List<String> args = new ArrayList<>(List.of("create-tables", "--region", "us-east-1",
                "--endpoint", moto.endpoint().toString(), "--database", database, "--lake", lake));
        args.addAll(List.of(more));
        return GlueCatalogCli.run(args.toArray(String[]::new));
    }

    private static void put(String bucket, String key) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("PAR1"));
    }

    private static Table table(String database, String name) {
        return glue.getTable(r -> r.databaseName(database).name(name)).table();
    }

    private static String firstDay(String database) {
        String range = table(database, "posts_all").parameters().get("projection.dt.range");
        assertThat(range).endsWith(",NOW");
        return range.substring(0, range.indexOf(','));
    }
}
