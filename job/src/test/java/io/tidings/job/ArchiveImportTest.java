package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LocalLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives that span years: posts a few a day over three years. By day, the lake holds about a
 * file per day and subtask instead of one per hour touched; read in random time order with few
 * open partitions allowed, every post still lands once. (Memory is the benchmark's business:
 * {@code bench/run-import-archive.sh}.)
 */
class ArchiveImportTest {
    private static final Instant START = Instant.parse("2021-03-01T00:00:00Z");
    private static final Duration THREE_YEARS = Duration.ofDays(3 * 365);

    @TempDir
    Path dir;

    private JobSettings.Builder settings(Path input, Path lake, LakeLayout layout) {
        return TestPosts.importSettings(dir, input).lake(lake.toString()).checkpointInterval(Duration.ofSeconds(1))
                .partition(layout);
    }

    @Test
    void anArchiveByDayMakesAboutAFilePerDayAndReadsAsAnHourLake() throws Exception {
        List<String> posts = TestPosts.genericPosts("a", 3_000, 8, START, THREE_YEARS, true);
        Path input = TestPosts.write(dir.resolve("archive.jsonl.gz"), posts);
        Path lake = dir.resolve("lake");

        new LocalRunner(settings(input, lake, LakeLayout.DAY).build(), null).run();

        assertThat(LakeLayout.of(lake)).isEqualTo(LakeLayout.DAY);
        List<String> ids = LakeContents.postIdsIn(lake, LakeLayout.DAY);
        assertThat(ids).hasSize(posts.size());
        assertThat(new HashSet<>(ids)).hasSize(posts.size());
        long days = partitionFolders(lake.resolve("posts"));
        long files = parquetFiles(lake.resolve("posts"));
        // Two sink subtasks share each day's posts; a day cut by a checkpoint makes one more file.
        assertThat(days).isBetween(800L, 1_095L);
        assertThat(files).isLessThanOrEqualTo(2 * days + 60);
        try (Stream<Path> folders = Files.list(lake.resolve("posts"))) {
            assertThat(folders).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("dt=\\d{4}-\\d{2}-\\d{2}"));
        }
        // SQL sees dt and hour as in a lake by hour.
        try (LocalLake sql = LocalLake.open(lake)) {
            assertThat(sql.query("SELECT count(*) FROM posts WHERE dt <> CAST(created_at AS DATE)"
                    + " OR hour <> hour(created_at)", 1).rows().get(0).get(0)).isEqualTo(0L);
            assertThat(sql.query("SELECT count(*) FROM posts_enriched", 1).rows().get(0).get(0)).isNotEqualTo(0L);
        }

        // The lake keeps its layout: a run asking for hours is refused before it starts, one that
        // asks nothing follows the lake.
        JobSettings.Builder byHour = settings(input, lake, LakeLayout.HOUR);
        assertThatThrownBy(() -> new LocalRunner(byHour.build(), null).run())
                .hasMessageContaining("partitioned by day").hasMessageContaining("--partition day");
        List<String> more = TestPosts.genericPosts("more", 50, 10, START, THREE_YEARS, true);
        new LocalRunner(settings(TestPosts.write(dir.resolve("more.jsonl"), more), lake, null).build(), null).run();
        assertThat(LakeContents.postIdsIn(lake, LakeLayout.DAY)).hasSize(posts.size() + more.size());
        try (Stream<Path> folders = Files.list(lake.resolve("posts"))) {
            assertThat(folders).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("dt=\\d{4}-\\d{2}-\\d{2}"));
        }
    }

    @Test
    void anArchiveInRandomOrderWithFewOpenPartitionsStillLandsOnce() throws Exception {
        List<String> posts = TestPosts.genericPosts("r", 3_000, 9, START, THREE_YEARS, false);
        Path input = TestPosts.write(dir.resolve("shuffled.jsonl"), posts);
        Path lake = dir.resolve("lake");
        JobSettings.Builder settings = settings(input, lake, LakeLayout.DAY);
        settings.maxOpenPartitions(8);
        settings.checkpointInterval(Duration.ofSeconds(30));

        new LocalRunner(settings.build(), null).run();

        List<String> ids = LakeContents.postIdsIn(lake, LakeLayout.DAY);
        assertThat(ids).hasSize(posts.size());
        assertThat(new HashSet<>(ids)).hasSize(posts.size());
        // Far more partitions than 8 were written between two checkpoints: files closed early, in
        // more files than days.
        assertThat(parquetFiles(lake.resolve("posts"))).isGreaterThan(partitionFolders(lake.resolve("posts")));
    }

    private static long partitionFolders(Path table) throws Exception {
        try (Stream<Path> folders = Files.list(table)) {
            return folders.filter(Files::isDirectory).count();
        }
    }

    private static long parquetFiles(Path table) throws Exception {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".parquet")).count();
        }
    }
}
