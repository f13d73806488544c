package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.records.EntityKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 end to end: payload shapes of real X and Bluesky collections (written after X's and
 * the AT Protocol's documented formats) through the job into the lake, read back with SQL.
 */
class PlatformPayloadsTest {
    /** X v2 with only the default fields (id, text, edit_history_tweet_ids): no created_at, text escaped. */
    private static final String X_DEFAULT_FIELDS = "{\"data\":{\"edit_history_tweet_ids\":[\"1572965843451445248\"],"
            + "\"id\":\"1572965843451445248\",\"text\":\"salvini &gt; meloni? Il programma &amp; i numeri del governo"
            + " non tornano, lo sanno tutti #Elezioni2022\"}}";
    /** An English X v2 post with escapes before the names the model finds. */
    private static final String X_ESCAPED = "{\"data\":{\"id\":\"1572965843451445249\",\"created_at\":\"2022-09-22T15:07:36.000Z\","
            + "\"text\":\"Q&amp;A &gt;&gt; Barack Obama talks with Microsoft in London &lt;3 honestly a great speech\"}}";
    /** A 2022 X v2 post whose attached photo's URL entity has no media_key. */
    private static final String X_MEDIA_2022 = "{\"data\":{\"id\":\"1503295632716591107\",\"created_at\":\"2022-03-14T09:03:03.000Z\","
            + "\"text\":\"Kyiv this morning https://t.co/8vW2k1LpQx https://t.co/Zr7YtP0aQe\",\"entities\":{\"urls\":["
            + "{\"start\":18,\"end\":41,\"url\":\"https://t.co/8vW2k1LpQx\",\"expanded_url\":\"https://www.reuters.com/world/\","
            + "\"display_url\":\"reuters.com/world/\"},"
            + "{\"start\":42,\"end\":65,\"url\":\"https://t.co/Zr7YtP0aQe\","
            + "\"expanded_url\":\"https://twitter.com/Reuters/status/1503295632716591107/photo/1\","
            + "\"display_url\":\"pic.twitter.com/Zr7YtP0aQe\"}]}}}";
    /** X batch compliance result: the media post was deleted. */
    private static final String X_BATCH_DELETE = "{\"id\":\"1503295632716591107\",\"action\":\"delete\","
            + "\"created_at\":\"2022-03-14T09:03:03.000Z\",\"redacted_at\":\"2022-04-01T08:00:00.000Z\",\"reason\":\"deleted\"}";
    /** Bluesky Jetstream post whose mention facet names a DID; the handle is in the text at its bytes. */
    private static final String BLUESKY_MENTION = "{\"did\":\"did:plc:z72i7hdynmk6r22z27h6tvur\",\"time_us\":1725911162329308,"
            + "\"kind\":\"commit\",\"commit\":{\"rev\":\"r\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\","
            + "\"rkey\":\"3l3qo2vuowo2c\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"2024-09-09T19:46:02.102Z\","
            + "\"langs\":[\"en\"],\"text\":\"Grüße 👋 @jay.bsky.team!\",\"facets\":[{\"index\":{\"byteStart\":13,\"byteEnd\":27},"
            + "\"features\":[{\"$type\":\"app.bsky.richtext.facet#mention\",\"did\":\"did:plc:oky5czdrnfjpqslsw2a5iclo\"}]}]},"
            + "\"cid\":\"bafy\"}}";

    @TempDir
    Path dir;

    @Test
    void realPayloadShapesLandAsOneMeaningEverywhere() throws Exception {
        Path input = TestPosts.write(dir.resolve("collection.jsonl"),
                List.of(X_DEFAULT_FIELDS, X_ESCAPED, X_MEDIA_2022, X_BATCH_DELETE, BLUESKY_MENTION));
        JobSettings.Builder settings = TestPosts.importSettings(dir, input);
        settings.parallelism(1);

        LocalRunner.Summary summary = new LocalRunner(settings.build(), null).run();
        assertThat(summary.deadLetters()).as("no payload is refused").isZero();
        assertThat(summary.posts()).isEqualTo(4);
        assertThat(summary.deletions()).isEqualTo(1);

        try (LocalLake lake = LocalLake.open(dir.resolve("lake"))) {
            // 1 and 5: the time from the snowflake id, said to be derived; X's escapes decoded, so
            // language identification reads Italian (the escaped text read as Indonesian).
            assertThat(lake.query("SELECT CAST(created_at AS VARCHAR), created_at_derived, text, lang_detected FROM posts"
                    + " WHERE post_id = 'x:1572965843451445248'", 1).rows()).containsExactly(List.of(
                    "2022-09-22 15:07:36.027", true,
                    "salvini > meloni? Il programma & i numeri del governo non tornano, lo sanno tutti #Elezioni2022", "it"));
            assertThat(lake.query("SELECT created_at_derived FROM posts WHERE post_id = 'x:1572965843451445249'", 1).rows())
                    .containsExactly(List.of(false));

            // 2 and 3: only the shared link is a URL; the batch compliance delete hides the post.
            assertThat(lake.query("SELECT urls FROM posts_all WHERE post_id = 'x:1503295632716591107'", 1).rows())
                    .containsExactly(List.of(List.of("https://www.reuters.com/world/")));
            assertThat(lake.query("SELECT count(*) FROM posts WHERE post_id = 'x:1503295632716591107'", 1).rows())
                    .containsExactly(List.of(0L));
            assertThat(lake.query("SELECT CAST(deleted_at AS VARCHAR) FROM tombstones", 1).rows())
                    .containsExactly(List.of("2022-04-01 08:00:00"));

            // 4: mentions hold the handle on Bluesky too, the DID has its own column.
            assertThat(lake.query("SELECT mentions, mention_dids FROM posts WHERE platform = 'bluesky'", 1).rows())
                    .containsExactly(List.of(List.of("jay.bsky.team"), List.of("did:plc:oky5czdrnfjpqslsw2a5iclo")));

            // 5 and 6: the model's entities slice the decoded text, after the decoded escapes, and
            // each carries its canonical key.
            List<List<Object>> entities = lake.query("SELECT e.text, e.char_start, e.char_end, e.text_key, p.text"
                    + " FROM entities e JOIN posts p USING (post_id) WHERE post_id = 'x:1572965843451445249'", 10).rows();
            assertThat(entities).extracting(r -> r.get(0)).contains("Barack Obama");
            for (List<Object> e : entities) {
                String text = (String) e.get(4);
                assertThat(text).startsWith("Q&A >> Barack Obama");
                assertThat(text.substring((Integer) e.get(1), (Integer) e.get(2))).isEqualTo(e.get(0));
                assertThat(e.get(3)).isEqualTo(EntityKey.of((String) e.get(0)));
            }
        }
    }
    /**
     * A Mastodon status, its edit (status.update) as the stream delivers it, the same edit again and
     * the edited status as the timeline endpoint (gap fill) returns it: two versions in the lake,
     * the view {@code posts} showing the edit once with its own entities.
     */
    private static final String EDITED = "Angela Merkel met Barack Obama in London today and they talked about the weather for an hour";

    @Test
    void aMastodonEditIsANewVersionThatTheViewsShowOnce() throws Exception {
        String status = io.tidings.source.mastodon.testing.FakeMastodon.status("113400000000000000", "alice",
                "Angela Merkel met Barack Obama in Berlin today and they talked about the weather for an hour", "politics");
        String created = io.tidings.source.mastodon.testing.FakeMastodon.idOf(status);
        String edit = io.tidings.source.mastodon.testing.FakeMastodon.edited(status, "2024-11-01T12:30:00.000Z",
                EDITED);
        Path input = TestPosts.write(dir.resolve("mastodon.jsonl"), List.of(
                io.tidings.source.mastodon.testing.FakeMastodon.update(status),
                io.tidings.source.mastodon.testing.FakeMastodon.statusUpdate(edit),
                io.tidings.source.mastodon.testing.FakeMastodon.statusUpdate(edit),
                edit));
        JobSettings.Builder settings = TestPosts.importSettings(dir, input);
        settings.parallelism(1);

        LocalRunner.Summary summary = new LocalRunner(settings.build(), null).run();
        assertThat(summary.deadLetters()).isZero();
        assertThat(summary.posts()).isEqualTo(4);
        assertThat(summary.written()).as("two versions").isEqualTo(2);
        assertThat(summary.duplicates()).as("the edit delivered again, twice").isEqualTo(2);

        String id = "'mastodon:" + created + "'";
        try (LocalLake lake = LocalLake.open(dir.resolve("lake"))) {
            assertThat(lake.query("SELECT text, CAST(edited_at AS VARCHAR) FROM posts WHERE post_id = " + id, 5).rows())
                    .containsExactly(List.of(EDITED, "2024-11-01 12:30:00"));
            assertThat(lake.query("SELECT text, CAST(edited_at AS VARCHAR) FROM posts_all WHERE post_id = " + id
                    + " ORDER BY edited_at NULLS FIRST", 5).rows()).containsExactly(
                    java.util.Arrays.asList("Angela Merkel met Barack Obama in Berlin today and they talked about the weather for an hour"
                            + " #politics", null),
                    List.of(EDITED, "2024-11-01 12:30:00"));
            List<List<Object>> firstVersion = lake.query("SELECT text FROM entities_all WHERE edited_at IS NULL ORDER BY char_start", 10).rows();
            List<List<Object>> live = lake.query("SELECT text, CAST(edited_at AS VARCHAR) FROM entities ORDER BY char_start", 10).rows();
            assertThat(firstVersion).as("the model finds Berlin in the first version").contains(List.of("Berlin"));
            assertThat(live).extracting(r -> r.get(0)).contains("London").doesNotContain("Berlin");
            assertThat(live).extracting(r -> r.get(1)).containsOnly("2024-11-01 12:30:00");
            assertThat(lake.query("SELECT version_number, is_newest FROM post_versions ORDER BY version_number", 5).rows())
                    .containsExactly(List.of(1L, false), List.of(2L, true));
        }
    }
}
