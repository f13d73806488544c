package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AthenaDdlTest {
    @Test
    void postsTableIsParquetPartitionedAndProjected() {
        String ddl = AthenaDdl.createTable(LakeTables.POSTS, "tidings", "s3://bucket/lake", "2026-01-01");
        assertThat(ddl).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `tidings`.`posts` (\n  `post_id` string,")
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
}
