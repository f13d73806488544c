package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import io.tidings.glue.GlueLakeCatalog;
import io.tidings.testing.MotoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import io.tidings.job.lake.GlueCatalogMissingException;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Partition;

/**
 * The job registers the lake's partitions in a Glue Data Catalog (moto's local Glue API) once their
 * files are committed: every partition folder the job wrote, in every table, with the folder as its
 * location; again on a second run (idempotent); and a catalog without the lake's tables stops the
 * job with what to run.
 */
class GluePartitionRegistrationTest {

    @TempDir
    Path dir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension().withDefaultChain();
    static GlueClient glue;

    @BeforeAll
    static void clients() {
        glue = moto.client(GlueClient.builder());
    }

    private JobSettings.Builder settings(Path input, Path lake, String database, LakeLayout layout) {
        return TestPosts.importSettings(dir, input).lake(lake.toString()).checkpointInterval(Duration.ofSeconds(1))
                .partition(layout).glueDatabase(database).glueEndpoint(moto.endpoint().toString());
    }

    @Test
    void everyPartitionTheJobWroteIsRegisteredInEveryTableOnceCommitted() throws Exception {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "lake_by_hour", lakeUri(dir.resolve("lake")));
        catalog.ensureDatabase();
        catalog.ensureTables("2024-01-01");
        // 600 posts over three days: 72 hour partitions at most.
        List<String> posts = TestPosts.genericPosts("g", 600, 3, Instant.parse("2024-05-01T00:00:00Z"), Duration.ofDays(3), false);
        Path input = TestPosts.write(dir.resolve("posts.jsonl"), posts);
        Path lake = dir.resolve("lake");

        new LocalRunner(settings(input, lake, "lake_by_hour", LakeLayout.HOUR).build(), null).run();

        Set<String> written = LakeContents.partitionFolders(lake.resolve("posts"));
        assertThat(written).hasSizeGreaterThan(40);
        for (LakeTables.Table table : LakeTables.ALL) {
            List<Partition> registered = partitions("lake_by_hour", table.name());
            // Each table gets the partitions that hold its files: no tombstones here, entities where posts had some.
            assertThat(registered).extracting(p -> String.format("dt=%s/hour=%02d", p.values().get(0),
                    Integer.parseInt(p.values().get(1)))).as(table.name())
                    .containsExactlyInAnyOrderElementsOf(LakeContents.partitionFolders(lake.resolve(table.folder())));
            assertThat(registered).allSatisfy(p -> assertThat(p.storageDescriptor().location())
                    .startsWith(lakeUri(lake) + "/" + table.folder() + "/dt="));
        }
        assertThat(partitions("lake_by_hour", "entities_all")).isNotEmpty();

        // A second run over the same posts (all duplicates of nothing: a fresh checkpoint folder) and a few new
        // ones: the partitions that exist are left as they are, the new day's are added.
        List<String> later = TestPosts.genericPosts("h", 50, 4, Instant.parse("2024-05-09T10:00:00Z"), Duration.ofHours(1), true);
        Path more = TestPosts.write(dir.resolve("more.jsonl"), later);
        JobSettings.Builder again = settings(more, lake, "lake_by_hour", LakeLayout.HOUR);
        again.checkpointDir(dir.resolve("checkpoints-2").toString());
        new LocalRunner(again.build(), null).run();
        assertThat(partitions("lake_by_hour", "posts_all")).extracting(p -> p.values().get(0) + "/" + p.values().get(1))
                .doesNotHaveDuplicates()
                .hasSize(LakeContents.partitionFolders(lake.resolve("posts")).size())
                .contains("2024-05-09/10");
    }

    @Test
    void aLakeByDayRegistersDayPartitions() throws Exception {
        Path lake = dir.resolve("daylake");
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "lake_by_day", lakeUri(lake), LakeLayout.DAY);
        catalog.ensureDatabase();
        catalog.ensureTables("2020-01-01");
        List<String> posts = TestPosts.genericPosts("d", 300, 5, Instant.parse("2021-01-01T00:00:00Z"), Duration.ofDays(20), false);
        Path input = TestPosts.write(dir.resolve("days.jsonl"), posts);

        new LocalRunner(settings(input, lake, "lake_by_day", LakeLayout.DAY).build(), null).run();

        assertThat(partitions("lake_by_day", "entities_all")).extracting(p -> "dt=" + String.join("/", p.values()))
                .containsExactlyInAnyOrderElementsOf(LakeContents.partitionFolders(lake.resolve("posts")));
    }

    @Test
    void aCatalogWithoutTheLakesTablesOrDatabaseStopsTheJobAtOnceWithWhatToRun() throws Exception {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("no_tables")));
        Path input = TestPosts.write(dir.resolve("few.jsonl"), TestPosts.genericPosts("n", 20, 6));

        for (String database : List.of("no_tables", "no_such_database")) {
            assertThatThrownBy(() -> new LocalRunner(settings(input, dir.resolve("lake-" + database), database, null).build(), null).run())
                    .satisfies(e -> {
                        // Not restarted (no restart can create a table), and the root cause says what to run.
                        assertThat(ThrowableClassifier.findThrowableOfThrowableType(e, ThrowableType.NonRecoverableError)).isPresent();
                        assertThat(ExceptionUtils.findThrowable(e, GlueCatalogMissingException.class)).get()
                                .satisfies(missing -> assertThat(missing.getCause()).isNull())
                                .extracting(Throwable::getMessage).asString()
                                .contains("io.tidings.glue.GlueCatalogCli create-tables --database " + database);
                    });
        }
    }

    private static String lakeUri(Path lake) {
        // The catalog names the lake as the job writes it; a local lake stands in for s3:// here.
        return lake.toString();
    }

    private static List<Partition> partitions(String database, String table) {
        return glue.getPartitionsPaginator(r -> r.databaseName(database).tableName(table)).stream()
                .flatMap(page -> page.partitions().stream()).toList();
    }

}
