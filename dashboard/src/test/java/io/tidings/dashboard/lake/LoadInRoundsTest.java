package io.tidings.dashboard.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load at start goes in rounds of a few files, and the database is closed and opened again
 * every few rounds (LakeDatabase.ROUNDS_PER_OPENING: what DuckDB accumulates over a long load goes
 * with it). Loaded so, with edits and deletions among the files, every table equals a load in one
 * round, and the database it ends with has its settings and sandbox.
 */
class LoadInRoundsTest {
    static final Instant END = Instant.parse("2026-11-26T00:00:00Z");
    static final List<String> TABLES = List.of("posts_all", "entities_all", "tombstones", "dashboard_files", "mentions",
            "entity_spellings", "entity_names", "post_terms", "post_signals", "post_hours", "author_days", "author_totals",
            "superseded_posts", "superseded_mentions");

    @TempDir
    Path lake;
    @TempDir
    Path cache;

    @Test
    void aLoadInManyRoundsOpenedAgainBetweenThemEqualsOneRound() throws Exception {
        SyntheticLake.write(lake, 3_000, END, 2, 5);
        FixtureLake first = FixtureLake.at(lake);
        FixtureLake.Post original = first.post("x:42", END.minusSeconds(30 * 3600), "Storm over Oslo");
        first.entity(original, "Oslo", "LOC");
        first.post("x:43", END.minusSeconds(20 * 3600), "to be deleted");
        first.commit();
        FixtureLake later = FixtureLake.at(lake);
        FixtureLake.Post edit = later.edit(original, END.minusSeconds(600), "Storm over Bergen");
        later.entity(edit, "Bergen", "LOC");
        later.tombstone("x:43", "x", END.minusSeconds(500));
        later.commit();
        LakeVersion version = new LakeVersion(lake);

        List<List<String>> oneRound;
        try (LakeDatabase db = LakeDatabase.open(LakeRoot.local(lake), version.snapshot(), LakeDatabase.Storage.temporary(),
                new LakeDatabase.Rounds(Integer.MAX_VALUE, Integer.MAX_VALUE))) {
            oneRound = contents(db);
        }
        try (LakeDatabase db = LakeDatabase.open(LakeRoot.local(lake), version.snapshot(), new LakeDatabase.Storage(cache, "256MB"),
                new LakeDatabase.Rounds(2, 3))) {
            long files = ((Number) db.one("SELECT count(*) AS n FROM dashboard_files", List.of()).get("n")).longValue();
            assertThat(files).as("enough files for many rounds and openings").isGreaterThan(2 * 2 * 3 * 4);
            assertThat(contents(db)).isEqualTo(oneRound);
            assertThat(db.one("SELECT count(*) AS n FROM posts WHERE post_id = 'x:43'", List.of()).get("n")).isEqualTo(0L);
            assertThat(db.query("SELECT text FROM posts WHERE post_id = 'x:42'", List.of())).extracting(r -> r.get("text"))
                    .containsExactly("Storm over Bergen");
            assertThat(db.one("SELECT current_setting('memory_limit') AS m", List.of()).get("m").toString()).startsWith("244");
            assertThat(db.one("SELECT current_setting('lock_configuration') AS l, current_setting('enable_external_access') AS e",
                    List.of())).isEqualTo(Map.of("l", true, "e", false));
        }
    }

    private static List<List<String>> contents(LakeDatabase db) throws Exception {
        List<List<String>> all = new ArrayList<>();
        for (String table : TABLES) {
            all.add(db.query("SELECT * FROM " + table + " ORDER BY ALL", List.of()).stream().map(Map::toString).toList());
        }
        return all;
    }
}
