package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeSql;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard defines {@code posts} and {@code entities} with the versions to leave out found
 * once per load (an equality anti-join), not with the shared views' inequality rule, which DuckDB
 * evaluates over every row of every request. Both must leave out exactly the same rows: on a lake
 * with edits, an edit read twice by two runs (superseded, and newest), an edit of an edit, the
 * dashboard's views and the shared views' SQL over the same tables hold the same rows; and with
 * rescores (the same version scored again, {@code scored_at}): of the newest version, of an older
 * one, of a post whose rescore finds no entity.
 */
class NewestVersionViewsTest {
    static final Instant END = Instant.parse("2026-11-26T00:00:00Z");

    @TempDir
    Path lake;

    @Test
    void theDashboardsViewsHoldExactlyTheRowsOfTheSharedViews() throws Exception {
        SyntheticLake.write(lake, 5_000, END, 2, 5);
        FixtureLake fixture = FixtureLake.at(lake);
        FixtureLake.Post first = fixture.post("mastodon:900", END.minusSeconds(3600), "Talks in Paris");
        first.platform = "mastodon";
        fixture.entity(first, "Paris", "LOC");
        FixtureLake.Post edit = fixture.edit(first, END.minusSeconds(3000), "Talks moved to Berlin");
        fixture.entity(edit, "Berlin", "LOC");
        FixtureLake.Post other = fixture.post("mastodon:901", END.minusSeconds(3600), "Snow in Oslo");
        other.platform = "mastodon";
        FixtureLake.Post otherEdit = fixture.edit(other, END.minusSeconds(1800), "Snow in Oslo and Bergen");
        fixture.entity(otherEdit, "Bergen", "LOC");
        fixture.commit();
        // The same edit read again by a later run, and an edit of the edit.
        FixtureLake again = FixtureLake.at(lake);
        FixtureLake.Post reread = again.edit(first, END.minusSeconds(3000), "Talks moved to Berlin");
        reread.ingestedAt = END.minusSeconds(100);
        again.entity(reread, "Berlin", "LOC");
        FixtureLake.Post second = again.edit(first, END.minusSeconds(60), "Talks moved to Rome");
        again.entity(second, "Rome", "LOC");
        // The newest version read twice: the later copy is shown, with its mentions.
        FixtureLake.Post otherReread = again.edit(other, END.minusSeconds(1800), "Snow in Oslo and Bergen");
        otherReread.ingestedAt = END.minusSeconds(50);
        again.entity(otherReread, "Bergen", "LOC");
        again.commit();
        // Rescores (tidings rescore): mastodon:901's newest version scored again finds Oslo too;
        // mastodon:902's rescore finds no entity, so its first scoring's Paris must go; a rescore of
        // mastodon:900's first edit stays superseded by its second edit.
        FixtureLake rescores = FixtureLake.at(lake);
        FixtureLake.Post plain = rescores.post("mastodon:902", END.minusSeconds(3500), "Rain in Paris");
        plain.platform = "mastodon";
        plain.modelVersion = "m@1";
        rescores.entity(plain, "Paris", "LOC");
        rescores.commit();
        FixtureLake later = FixtureLake.at(lake);
        FixtureLake.Post otherRescored = later.rescore(otherReread, END.minusSeconds(20), "m@2");
        later.entity(otherRescored, "Oslo", "LOC");
        later.entity(otherRescored, "Bergen", "LOC");
        later.rescore(plain, END.minusSeconds(20), "m@2");
        FixtureLake.Post oldRescored = later.rescore(edit, END.minusSeconds(20), "m@2");
        later.entity(oldRescored, "Berlin", "LOC");
        later.commit();

        try (LakeDatabase db = LakeDatabase.open(lake, new LakeVersion(lake.toAbsolutePath().normalize()).snapshot())) {
            for (String view : List.of("posts", "entities")) {
                String shared = LakeSql.view(view).sql();
                long rows = count(db, "SELECT * FROM " + view);
                assertThat(rows).isGreaterThan(4_000);
                assertThat(count(db, "(SELECT * FROM " + view + ") EXCEPT ALL (" + shared + ")")).as(view).isZero();
                assertThat(count(db, "(" + shared + ") EXCEPT ALL (SELECT * FROM " + view + ")")).as(view).isZero();
            }
            assertThat(db.query("SELECT text FROM posts WHERE post_id = 'mastodon:900'", List.of()))
                    .extracting(row -> row.get("text")).containsExactly("Talks moved to Rome");
            assertThat(db.query("SELECT text FROM entities WHERE post_id = 'mastodon:900'", List.of()))
                    .extracting(row -> row.get("text")).containsExactly("Rome");
            assertThat(db.query("SELECT model_version FROM posts WHERE post_id = 'mastodon:901'", List.of()))
                    .extracting(row -> row.get("model_version")).containsExactly("m@2");
            assertThat(db.query("SELECT text FROM entities WHERE post_id = 'mastodon:901' ORDER BY text", List.of()))
                    .extracting(row -> row.get("text")).containsExactly("Bergen", "Oslo");
            assertThat(db.query("SELECT model_version FROM posts WHERE post_id = 'mastodon:902'", List.of()))
                    .extracting(row -> row.get("model_version")).containsExactly("m@2");
            assertThat(db.query("SELECT text FROM entities WHERE post_id = 'mastodon:902'", List.of())).isEmpty();
            assertThat(count(db, "SELECT * FROM posts_all WHERE edited_at IS NOT NULL"))
                    .as("SyntheticLake's edits are there to be left out").isGreaterThan(20);
        }
    }

    private static long count(LakeDatabase db, String sql) throws Exception {
        return ((Number) db.one("SELECT count(*) AS n FROM (" + sql + ")", List.of()).get("n")).longValue();
    }
}
