package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AthenaDdlTest {
    @Test
    void postsTableIsParquetPartitionedAndProjected() {
        String ddl = AthenaDdl.createTable(LakeTables.POSTS, "tidings", "s3://bucket/lake", "2026-01-01");
        assertThat(ddl).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `tidings`.`posts_all` (\n  `post_id` string,")
                .contains("  `hashtags` array<string>,", "  `created_at` timestamp,")
                .contains("PARTITIONED BY (`dt` date, `hour` int)", "STORED AS PARQUET",
                        "LOCATION 's3://bucket/lake/posts/'", "'projection.dt.range' = '2026-01-01,NOW'",
                        "'projection.hour.digits' = '2'",
                        "'storage.location.template' = 's3://bucket/lake/posts/dt=${dt}/hour=${hour}'");
        // Every column once, partition columns only as partitions.
        for (LakeTables.Column column : LakeTables.POSTS.columns()) {
            assertThat(ddl).containsOnlyOnce("`" + column.name() + "` ");
        }
        assertThat(ddl).doesNotContain("`dt` string");
    }

    @Test
    void everyTableHasItsFolderAndTombstonesArePartitionedByDeletion() {
        assertThat(LakeTables.ALL).extracting(LakeTables.Table::name).containsExactly("posts_all", "entities_all", "tombstones");
        assertThat(LakeTables.ALL).extracting(LakeTables.Table::folder).containsExactly("posts", "entities", "tombstones");
        assertThat(LakeTables.TOMBSTONES.partitionTime()).isEqualTo("deleted_at");
        assertThat(LakeTables.POSTS.partitionTime()).isEqualTo("created_at");
        String ddl = AthenaDdl.createTable(LakeTables.TOMBSTONES, "tidings", "s3://bucket/lake/", "2026-01-01");
        assertThat(ddl).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `tidings`.`tombstones` (\n  `post_id` string,")
                .contains("  `deleted_at` timestamp,", "LOCATION 's3://bucket/lake/tombstones/'",
                        "'storage.location.template' = 's3://bucket/lake/tombstones/dt=${dt}/hour=${hour}'");
    }

    @Test
    void theLiveViewsReadTheTablesAndLeaveOutTombstones() {
        assertThat(LakeSql.VIEWS).startsWith("posts", "entities");
        assertThat(LakeSql.view("posts").sql()).contains("FROM posts_all", "NOT EXISTS", "FROM tombstones");
        assertThat(LakeSql.view("entities").sql()).contains("FROM entities_all", "NOT EXISTS", "FROM tombstones");
    }
}
