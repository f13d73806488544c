package io.tidings.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LakeSql;
import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import io.tidings.testing.MotoExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;

/** The catalog against a local Glue API (moto's server mode): idempotent tables, projection, partitions. */
class GlueLakeCatalogTest {
    static final String LAKE = "s3://tidings-lake/lake";


    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();
    static GlueClient glue;

    @BeforeAll
    static void clients() {
        glue = moto.client(GlueClient.builder());
    }

    @Test
    void tablesAreCreatedOnceWithTheLakesSchemaAndProjection() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_tables", LAKE);
        assertThat(catalog.ensureDatabase()).isTrue();
        catalog.ensureTables("2026-11-01");
        // Twice: nothing fails, nothing is duplicated.
        assertThat(catalog.ensureDatabase()).isFalse();
        catalog.ensureTables("2026-11-01");

        List<Table> tables = glue.getTables(r -> r.databaseName("tidings_tables")).tableList();
        assertThat(tables).extracting(Table::name)
                .containsExactlyInAnyOrder("posts_all", "entities_all", "tombstones", "posts", "entities");
        for (LakeTables.Table expected : LakeTables.ALL) {
            Table table = glue.getTable(r -> r.databaseName("tidings_tables").name(expected.name())).table();
            assertThat(table.tableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(table.storageDescriptor().location()).isEqualTo(LAKE + "/" + expected.folder() + "/");
            assertThat(table.storageDescriptor().serdeInfo().serializationLibrary())
                    .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
            assertThat(table.storageDescriptor().inputFormat())
                    .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
            assertThat(table.storageDescriptor().outputFormat())
                    .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
            assertThat(table.storageDescriptor().columns()).extracting(Column::name, Column::type)
                    .containsExactlyElementsOf(expected.columns().stream()
                            .map(c -> org.assertj.core.groups.Tuple.tuple(c.name(), c.hiveType())).toList());
            assertThat(table.partitionKeys()).extracting(Column::name, Column::type).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("dt", "date"), org.assertj.core.groups.Tuple.tuple("hour", "int"));
            assertThat(table.parameters())
                    .containsEntry("EXTERNAL", "TRUE")
                    .containsEntry("classification", "parquet")
                    .containsEntry("projection.enabled", "true")
                    .containsEntry("projection.dt.type", "date")
                    .containsEntry("projection.dt.format", "yyyy-MM-dd")
                    .containsEntry("projection.dt.range", "2026-11-01,NOW")
                    .containsEntry("projection.dt.interval", "1")
                    .containsEntry("projection.dt.interval.unit", "DAYS")
                    .containsEntry("projection.hour.type", "integer")
                    .containsEntry("projection.hour.range", "0,23")
                    .containsEntry("projection.hour.digits", "2")
                    .containsEntry("storage.location.template", LAKE + "/" + expected.folder() + "/dt=${dt}/hour=${hour}")
                    .containsEntry("parquet.compression", "ZSTD");
        }
    }

    @Test
    void postsAndEntitiesAreAthenaViewsThatLeaveOutTombstones() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_views", LAKE);
        catalog.ensureDatabase();
        catalog.ensureTables("2026-11-01");
        catalog.ensureTables("2026-11-01");
        for (String view : LakeSql.LIVE_VIEWS) {
            Table table = glue.getTable(r -> r.databaseName("tidings_views").name(view)).table();
            assertThat(table.tableType()).isEqualTo("VIRTUAL_VIEW");
            assertThat(table.parameters()).containsEntry("presto_view", "true");
            String text = table.viewOriginalText();
            assertThat(text).startsWith("/* Presto View: ").endsWith(" */");
            String json = new String(Base64.getDecoder().decode(text.substring(16, text.length() - 3)), StandardCharsets.UTF_8);
            assertThat(json).contains("\"schema\":\"tidings_views\"", "\"catalog\":\"awsdatacatalog\"",
                    "{\"name\":\"post_id\",\"type\":\"varchar\"}", "{\"name\":\"created_at\",\"type\":\"timestamp(3)\"}",
                    "{\"name\":\"hour\",\"type\":\"integer\"}", "NOT EXISTS", view + "_all");
            assertThat(table.storageDescriptor().columns()).extracting(Column::name)
                    .endsWith("dt", "hour").startsWith("post_id");
        }
    }

    @Test
    void anOldExternalPostsTableMakesWayForTheView() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_legacy", LAKE);
        catalog.ensureDatabase();
        // As the catalog was before tombstones: posts was the external table over posts/.
        glue.createTable(r -> r.databaseName("tidings_legacy").tableInput(GlueTableInputs.table(LakeTables.POSTS, LAKE, "2026-11-01", LakeLayout.HOUR)
                .toBuilder().name("posts").build()));
        catalog.ensureTables("2026-11-01");
        assertThat(glue.getTable(r -> r.databaseName("tidings_legacy").name("posts")).table().tableType())
                .isEqualTo("VIRTUAL_VIEW");
        assertThat(glue.getTable(r -> r.databaseName("tidings_legacy").name("posts_all")).table().tableType())
                .isEqualTo("EXTERNAL_TABLE");
    }

    @Test
    void aChangedDefinitionUpdatesTheExistingTables() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_update", LAKE);
        catalog.ensureDatabase();
        catalog.ensureTables("2026-11-01");
        catalog.ensureTables("2026-10-01");
        Map<String, String> parameters = glue.getTable(r -> r.databaseName("tidings_update").name("posts_all")).table().parameters();
        assertThat(parameters).containsEntry("projection.dt.range", "2026-10-01,NOW");
    }

    @Test
    void partitionsAreRegisteredOnceForEveryTable() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_partitions", LAKE);
        catalog.ensureDatabase();
        catalog.ensureTables("2026-11-01");
        // 5 days x 24 hours = 120 partitions per table: more than one BatchCreatePartition call each.
        List<LakePartition> hours = LakePartition.hoursOf(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-24"));

        assertThat(catalog.registerPartitions(hours)).isEqualTo(3 * 120);
        assertThat(catalog.registerPartitions(hours.subList(0, 30))).isZero();
        assertThat(catalog.registerPartitions(LakePartition.hoursOf(LocalDate.parse("2026-11-24"),
                LocalDate.parse("2026-11-25")))).isEqualTo(3 * 24);

        for (LakeTables.Table table : LakeTables.ALL) {
            List<Partition> partitions = glue.getPartitionsPaginator(r -> r.databaseName("tidings_partitions")
                    .tableName(table.name())).stream().flatMap(page -> page.partitions().stream()).toList();
            assertThat(partitions).hasSize(144);
            Partition seven = partitions.stream().filter(p -> p.values().equals(List.of("2026-11-20", "7")))
                    .findFirst().orElseThrow();
            assertThat(seven.storageDescriptor().location()).isEqualTo(LAKE + "/" + table.folder() + "/dt=2026-11-20/hour=07/");
            assertThat(seven.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo(GlueTableInputs.SERDE);
        }
    }

    @Test
    void aLakeByDayHasDayPartitionsAndViewsWithoutHour() {
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "tidings_by_day", LAKE, LakeLayout.DAY);
        catalog.ensureDatabase();
        catalog.ensureTables("2021-01-01");
        for (LakeTables.Table expected : LakeTables.ALL) {
            Table table = glue.getTable(r -> r.databaseName("tidings_by_day").name(expected.name())).table();
            assertThat(table.partitionKeys()).extracting(Column::name, Column::type)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("dt", "date"));
            assertThat(table.parameters())
                    .containsEntry("projection.dt.range", "2021-01-01,NOW")
                    .containsEntry("storage.location.template", LAKE + "/" + expected.folder() + "/dt=${dt}")
                    .containsEntry("tidings.partition", "day")
                    .doesNotContainKey("projection.hour.type");
        }
        assertThat(glue.getTable(r -> r.databaseName("tidings_by_day").name("posts")).table().storageDescriptor().columns())
                .extracting(Column::name).endsWith("dt").doesNotContain("hour");

        List<LakePartition> days = LakePartition.of(LakeLayout.DAY, LocalDate.parse("2021-03-01"), LocalDate.parse("2021-03-10"));
        assertThat(catalog.registerPartitions(days)).isEqualTo(3 * 10);
        Partition first = glue.getPartition(r -> r.databaseName("tidings_by_day").tableName("posts_all")
                .partitionValues("2021-03-01")).partition();
        assertThat(first.storageDescriptor().location()).isEqualTo(LAKE + "/posts/dt=2021-03-01/");
        // Hour partitions do not fit a lake by day.
        assertThatThrownBy(() -> catalog.registerPartitions(LakePartition.hoursOf(LocalDate.parse("2021-03-01"),
                LocalDate.parse("2021-03-01")))).hasMessageContaining("partitioned by day");
    }

    @Test
    void partitionsFollowTheJobsUtcHourFolders() {
        LakePartition p = LakePartition.of(java.time.Instant.parse("2026-11-26T07:59:59Z"));
        assertThat(p.folder()).isEqualTo("dt=2026-11-26/hour=07/");
        assertThat(p.values()).containsExactly("2026-11-26", "7");
    }
}
