package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Managed Flink entry point, run outside the service, starts the job from a property groups
 * file shaped exactly like the service's and writes a lake that plain DuckDB reads.
 */
class ManagedFlinkJobLocalTest {
    @TempDir
    Path dir;

    @Test
    void theEntryPointRunsLocallyFromAPropertyGroupsFile() throws Exception {
        List<String> lines = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        long base = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        for (int i = 0; i < 300; i++) {
            lines.add("{\"id\":\"kda" + i + "\",\"text\":\"Loving the new Apple phone in London, post " + i
                    + "\",\"created_at\":\"" + Instant.ofEpochMilli(base + i * 30_000L) + "\",\"lang\":\"en\"}");
            expected.add("generic:kda" + i);
        }
        Path input = Files.write(dir.resolve("posts.jsonl"), lines);
        Path lake = dir.resolve("lake");
        // Exactly the shape of Managed Flink's EnvironmentProperties.PropertyGroups.
        Path groups = Files.writeString(dir.resolve("flink-application-properties-dev.json"), """
                [
                  {
                    "PropertyGroupId": "TidingsJob",
                    "PropertyMap": {
                      "inputs": "%s",
                      "lake": "%s",
                      "checkpoint-dir": "%s",
                      "checkpoint-interval": "1",
                      "parallelism": "1",
                      "rule": "kda-test"
                    }
                  }
                ]
                """.formatted(input, lake, dir.resolve("checkpoints")));

        ManagedFlinkJob.main(new String[] {groups.toString()});

        List<String> ids = new ArrayList<>();
        String glob = lake.resolve("posts") + "/*/*/*.parquet";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT post_id, matched_rules FROM read_parquet('" + glob
                        + "', hive_partitioning = 1)")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
                assertThat(rs.getString(2)).contains("kda-test");
            }
        }
        assertThat(ids).hasSize(expected.size());
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
    }
}
