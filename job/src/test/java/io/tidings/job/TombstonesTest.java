package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletions end to end: Bluesky Jetstream deletes in the input become rows of the lake's {@code
 * tombstones}, and the lake's {@code posts} (and everything built on it) no longer shows the post.
 */
class TombstonesTest {
    private static final String DID = "did:plc:eygmaihciaxprqvxpfvl6flk";

    @TempDir
    Path dir;

    private static String create(String rkey, String createdAt, String text, long timeUs) {
        return "{\"did\":\"" + DID + "\",\"time_us\":" + timeUs + ",\"kind\":\"commit\",\"commit\":{\"rev\":\"r" + rkey
                + "\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"" + rkey
                + "\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"" + createdAt
                + "\",\"langs\":[\"en\"],\"text\":\"" + text + "\"},\"cid\":\"bafy" + rkey + "\"}}";
    }

    private static String delete(String rkey, long timeUs) {
        return "{\"did\":\"" + DID + "\",\"time_us\":" + timeUs + ",\"kind\":\"commit\",\"commit\":{\"rev\":\"d" + rkey
                + "\",\"operation\":\"delete\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"" + rkey + "\"}}";
    }

    @Test
    void aDeletedPostIsATombstoneAndHiddenFromPosts() throws Exception {
        Path input = TestPosts.write(dir.resolve("jetstream.jsonl"), List.of(
                create("3l3qo2vuowo2a", "2024-09-09T19:46:02.102Z", "I love the new Apple phone #tech", 1725911162329308L),
                create("3l3qo2vuowo2b", "2024-09-09T19:47:00.000Z", "Microsoft is awful today #tech", 1725911220100000L),
                create("3l3qo2vuowo2c", "2024-09-09T19:48:00.000Z", "Just saw Barack Obama in London", 1725911280100000L),
                // deleted 13 minutes after it was posted, in the next hour partition
                delete("3l3qo2vuowo2b", 1725912000000000L)));
        JobSettings.Builder settings = TestPosts.importSettings(dir, input);

        LocalRunner.Summary summary = new LocalRunner(settings.build(), null).run();
        assertThat(summary.posts()).isEqualTo(3);
        assertThat(summary.deletions()).isEqualTo(1);
        assertThat(summary.skipped()).isZero();
        assertThat(summary.deadLetters()).isZero();

        Path lake = dir.resolve("lake");
        String deleted = "bluesky:" + DID + "/3l3qo2vuowo2b";
        List<List<Object>> tombstones = LakeContents.rows(lake, "tombstones",
                "SELECT post_id, platform, CAST(deleted_at AS VARCHAR), source, CAST(dt AS VARCHAR), hour FROM {tombstones}");
        assertThat(tombstones).hasSize(1);
        assertThat(tombstones.get(0).subList(0, 3)).containsExactly(deleted, "bluesky", "2024-09-09 20:00:00");
        assertThat((String) tombstones.get(0).get(3)).contains("jetstream.jsonl");
        assertThat(tombstones.get(0).get(4)).isEqualTo("2024-09-09");
        assertThat(((Number) tombstones.get(0).get(5)).intValue()).isEqualTo(20);

        try (LocalLake local = LocalLake.open(lake)) {
            assertThat(local.query("SELECT post_id FROM posts_all", 10).rows()).hasSize(3).contains(List.of(deleted));
            List<List<Object>> live = local.query("SELECT post_id FROM posts ORDER BY post_id", 10).rows();
            assertThat(live).hasSize(2).doesNotContain(List.of(deleted));
            assertThat(local.query("SELECT count(*) FROM posts_enriched WHERE post_id = '" + deleted + "'", 1)
                    .rows().get(0).get(0)).isEqualTo(0L);
            assertThat(local.query("SELECT count(*) FROM entities WHERE post_id = '" + deleted + "'", 1)
                    .rows().get(0).get(0)).isEqualTo(0L);
            assertThat(((Number) local.query(LakeSql.query("overview").sql(), 1).rows().get(0).get(0)).longValue())
                    .isEqualTo(2L);
        }
    }
}
