package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's database lives in a file of its cache folder (not in the lake) with a memory
 * limit, and its derived tables are kept up to date per partition as files commit: the rows of
 * partitions no new file touches stay as they were (same row ids), the touched ones are replaced,
 * and the result is exactly what a database loaded from scratch holds, an edit landing in a later
 * partition than its original included. A second start over the same cache folder loads only what
 * was committed since.
 */
class IncrementalTablesTest {
    static final Instant END = Instant.parse("2026-11-26T00:00:00Z");
    static final List<String> DERIVED = List.of("mentions", "entity_spellings", "entity_names", "post_terms", "post_signals", "post_hours",
            "author_days", "author_totals", "superseded_posts", "superseded_mentions", "posts", "entities");

    @TempDir
    Path lake;
    @TempDir
    Path cache;

    @Test
    void derivedTablesArePatchedPerPartitionAndEqualAFullLoad() throws Exception {
        SyntheticLake.write(lake, 4_000, END, 2, 11);
        FixtureLake fixture = FixtureLake.at(lake);
        FixtureLake.Post original = fixture.post("mastodon:90001", END.minusSeconds(40 * 3600), "Talks in Paris #summit");
        original.platform = "mastodon";
        original.hashtags = List.of("summit");
        fixture.entity(original, "Paris", "LOC");
        original.signals("joy", 0.8, 0.1, 0.1, 0.1);
        fixture.commit();
        List<String> lakeFiles = listing(lake);
        LakeVersion version = new LakeVersion(lake.toAbsolutePath().normalize());
        LakeDatabase.Storage storage = new LakeDatabase.Storage(cache.resolve("db"), "256MB");

        try (LakeDatabase db = LakeDatabase.open(lake, version.snapshot(), storage)) {
            assertThat(db.folder()).isEqualTo(cache.resolve("db").toAbsolutePath().normalize());
            assertThat(Files.isRegularFile(cache.resolve("db/lake.duckdb"))).isTrue();
            assertThat(db.one("SELECT current_setting('memory_limit') AS m", List.of()).get("m").toString()).startsWith("244");
            assertThat(db.one("SELECT current_setting('temp_directory') AS t", List.of()).get("t"))
                    .isEqualTo(cache.resolve("db/spill").toAbsolutePath().normalize().toString());
            // The settings hold on the connection opened again after the load (LakeDatabase.reopen).
            assertThat(db.one("SELECT current_setting('allocator_background_threads') AS b", List.of()).get("b")).isEqualTo(true);
            String untouched = "WHERE dt = DATE '2026-11-24' AND hour = 3";
            String rowIdsBefore = rowIds(db, untouched);
            long rowsBefore = count(db, "SELECT * FROM mentions");
            assertThat(rowsBefore).isGreaterThan(4_000);

            // Later files: posts of a new hour, the original's edit landing in that later partition
            // (its Paris mention gone, Berlin in), and a spelling that outnumbers an entity's others.
            FixtureLake later = FixtureLake.at(lake);
            FixtureLake.Post edit = later.edit(original, END.minusSeconds(600), "Talks moved to Berlin #summit");
            edit.createdAt = END.minusSeconds(900);
            later.entity(edit, "Berlin", "LOC");
            edit.signals("anger", 0.9, 0.7, 0.2, 0.1);
            // The synthetic lake spells it "Entity7" (ORG) 68 times; 100 "ENTITY7" of the same type outnumber it.
            // (Of another type it would be another entity, and a second row of entity_names.)
            for (int i = 0; i < 100; i++) {
                later.entity(later.post("x:entity7-" + i, END.minusSeconds(300 - i), "news on ENTITY7 today"), "ENTITY7", "ORG");
            }
            later.commit();
            assertThat(db.refreshIfChanged(version.rescan())).isTrue();

            assertThat(rowIds(db, untouched)).as("rows of a partition no file touched are left alone").isEqualTo(rowIdsBefore);
            long maxRowId = ((Number) db.one("SELECT max(rowid) AS m FROM mentions", List.of()).get("m")).longValue();
            assertThat(maxRowId + 1).as("appended after deleting the touched partitions' rows, not rebuilt")
                    .isGreaterThan(count(db, "SELECT * FROM mentions"));
            assertThat(db.query("SELECT text FROM entities WHERE post_id = 'mastodon:90001'", List.of()))
                    .extracting(r -> r.get("text")).containsExactly("Berlin");
            assertThat(db.query("SELECT folded FROM mentions WHERE post_id = 'mastodon:90001'", List.of()))
                    .extracting(r -> r.get("folded")).containsExactly("berlin");
            assertThat(db.query("SELECT text FROM entity_names WHERE folded = 'entity7'", List.of()))
                    .extracting(r -> r.get("text")).containsExactly("ENTITY7");
            assertThat(db.query("SELECT emotion, offensive FROM post_signals WHERE post_id = 'mastodon:90001'", List.of()))
                    .as("the edit's signals replace the original's").extracting(r -> List.copyOf(r.values()))
                    .containsExactly(List.of("anger", true));

            try (LakeDatabase fresh = LakeDatabase.open(lake, version.rescan())) {
                for (String table : DERIVED) {
                    assertThat(rows(db, table)).as(table).isEqualTo(rows(fresh, table));
                }
            }
        }
        // The lake itself is untouched: the database and its spill folder are in the cache folder.
        assertThat(listing(lake).stream().filter(f -> !f.contains("/posts/") && !f.contains("/entities/")
                && !f.contains("/tombstones/")).toList()).isEqualTo(lakeFiles.stream().filter(f -> !f.contains("/posts/")
                && !f.contains("/entities/") && !f.contains("/tombstones/")).toList());
        assertThat(listing(lake)).allMatch(f -> f.endsWith(".parquet") || f.endsWith(".jsonl") || f.endsWith(".json"));

        // A second start over the same cache folder: the files loaded before are not loaded again.
        FixtureLake third = FixtureLake.at(lake);
        third.entity(third.post("bluesky:777", END.minusSeconds(100), "Snow in Oslo"), "Oslo", "LOC");
        third.commit();
        try (LakeDatabase again = LakeDatabase.open(lake, version.rescan(), storage);
                LakeDatabase fresh = LakeDatabase.open(lake, version.rescan())) {
            assertThat(count(again, "SELECT * FROM posts_all")).isEqualTo(count(fresh, "SELECT * FROM posts_all"));
            for (String table : DERIVED) {
                assertThat(rows(again, table)).as(table).isEqualTo(rows(fresh, table));
            }
            assertThat(count(again, "SELECT * FROM posts WHERE post_id = 'bluesky:777'")).isEqualTo(1);
        }
    }

    private static String rowIds(LakeDatabase db, String where) throws Exception {
        String ids = String.valueOf(db.one("SELECT string_agg(rowid::VARCHAR, ',' ORDER BY rowid) AS ids, count(*) AS n FROM mentions "
                + where, List.of()));
        assertThat(ids).doesNotContain("n=0");
        return ids;
    }

    private static List<String> rows(LakeDatabase db, String table) throws Exception {
        return db.query("SELECT * FROM " + table + " ORDER BY ALL", List.of()).stream().map(Map::toString).toList();
    }

    private static long count(LakeDatabase db, String sql) throws Exception {
        return ((Number) db.one("SELECT count(*) AS n FROM (" + sql + ")", List.of()).get("n")).longValue();
    }

    private static List<String> listing(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .map(p -> "/" + p).sorted().toList();
        }
    }
}
