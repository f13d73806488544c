package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared views and named queries, run on DuckDB over a small lake of hand-made Parquet files. */
class LocalLakeTest {
    @TempDir
    Path lake;

    /** Writes posts and entities as the job would: Hive folders dt=/hour=, partition columns not in the files. */
    private void writeLake() throws SQLException, java.io.IOException {
        Path posts = Files.createDirectories(lake.resolve("posts/dt=2026-11-20/hour=08"));
        Path posts9 = Files.createDirectories(lake.resolve("posts/dt=2026-11-20/hour=09"));
        Path entities = Files.createDirectories(lake.resolve("entities/dt=2026-11-20/hour=08"));
        String columns = "post_id, 'x' AS platform, post_id AS native_id, NULL::VARCHAR AS url, created_at,"
                + " created_at AS ingested_at, author AS author_id, author AS author_handle, NULL::VARCHAR AS author_name,"
                + " NULL::BIGINT AS author_followers, NULL::VARCHAR AS author_location, text, 'post' AS kind,"
                + " NULL::VARCHAR AS reply_to_id, NULL::VARCHAR AS quote_of_id, NULL::VARCHAR AS repost_of_id,"
                + " likes AS like_count, NULL::BIGINT AS repost_count, NULL::BIGINT AS reply_count, NULL::BIGINT AS quote_count,"
                + " hashtags, []::VARCHAR[] AS mentions, []::VARCHAR[] AS urls, []::VARCHAR[] AS cashtags, 'en' AS lang,"
                + " lang AS lang_detected, 0.9 AS lang_confidence, NULL::VARCHAR AS geo, ['demo'] AS matched_rules,"
                + " sentiment, 0.8 AS sentiment_score, 0.1 AS p_negative, 0.1 AS p_neutral, 0.8 AS p_positive,"
                + " 'm@1' AS model_version";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT " + columns + " FROM (VALUES"
                    + " ('x:1', TIMESTAMP '2026-11-20 08:05:00', 'a', 'I love Paris #Travel', 3, ['Travel'], 'en', 'positive'),"
                    + " ('x:2', TIMESTAMP '2026-11-20 08:10:00', 'b', 'Paris is awful #travel', 1, ['travel'], 'en', 'negative'),"
                    + " ('x:3', TIMESTAMP '2026-11-20 08:20:00', 'a', 'hola amigos', 0, [], 'es', NULL)"
                    + ") t(post_id, created_at, author, text, likes, hashtags, lang, sentiment))"
                    + " TO '" + posts.resolve("part-0.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT " + columns + " FROM (VALUES"
                    + " ('x:4', TIMESTAMP '2026-11-20 09:01:00', 'c', 'Obama in Paris', 5, [], 'en', 'neutral')"
                    + ") t(post_id, created_at, author, text, likes, hashtags, lang, sentiment))"
                    + " TO '" + posts9.resolve("part-0.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT * FROM (VALUES"
                    + " ('x:1', TIMESTAMP '2026-11-20 08:05:00', 'Paris', 'LOC', 7, 12, 0.9, 'm@1'),"
                    + " ('x:2', TIMESTAMP '2026-11-20 08:10:00', 'Paris', 'LOC', 0, 5, 0.9, 'm@1')"
                    + ") t(post_id, created_at, text, type, char_start, char_end, score, model_version))"
                    + " TO '" + entities.resolve("part-0.parquet") + "' (FORMAT parquet)");
        }
    }

    @Test
    void viewsAndNamedQueriesAnswerOverTheLake() throws Exception {
        writeLake();
        try (LocalLake local = LocalLake.open(lake)) {
            QueryResult overview = local.query(LakeSql.query("overview").sql(), 10);
            assertThat(plain(overview.rows().get(0).subList(0, 6))).containsExactly(4L, 3L, 3L, 1L, 1L, 1L);

            // posts_enriched keeps posts without entities: 2 posts with one entity each + 2 without.
            QueryResult enriched = local.query("SELECT post_id, entity_type FROM posts_enriched ORDER BY post_id", 10);
            assertThat(enriched.rows()).containsExactly(List.of("x:1", "LOC"), List.of("x:2", "LOC"),
                    java.util.Arrays.asList("x:3", null), java.util.Arrays.asList("x:4", null));

            QueryResult entities = local.query(LakeSql.query("top_entities").sql(), 10);
            assertThat(entities.rows()).hasSize(1);
            assertThat(plain(entities.rows().get(0))).containsExactly("LOC", "Paris", 2L, 2L, 1L, 0L, 1L);

            QueryResult hashtags = local.query(LakeSql.query("top_hashtags").sql(), 10);
            assertThat(hashtags.rows()).hasSize(1);
            assertThat(plain(hashtags.rows().get(0))).containsExactly("travel", 2L, 1L, 0L, 1L);

            QueryResult hours = local.query(LakeSql.query("sentiment_by_hour").sql(), 10);
            assertThat(hours.rows()).hasSize(2);
            assertThat(plain(hours.rows().get(0).subList(1, 3))).containsExactly(1L, 1L);
            assertThat(plain(hours.rows().get(1).subList(1, 3))).containsExactly(3L, 2L);

            QueryResult partitions = local.query("SELECT DISTINCT dt, hour FROM posts ORDER BY hour", 10);
            assertThat(partitions.rows().get(0).get(0).toString()).isEqualTo("2026-11-20");
            assertThat(partitions.rows()).extracting(r -> r.get(1)).containsExactly(8, 9);

            for (String name : LakeSql.QUERIES) {
                assertThat(local.query(LakeSql.query(name).sql(), 100).columns()).as(name).isNotEmpty();
            }
        }
    }

    @Test
    void tombstonesHideDeletedPostsFromEveryViewAndQuery() throws Exception {
        writeLake();
        // x:2 (negative, one entity, #travel) is deleted a day later; x:99 was never in the lake.
        Path tombstones = Files.createDirectories(lake.resolve("tombstones/dt=2026-11-21/hour=10"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES"
                    + " ('x:2', 'x', TIMESTAMP '2026-11-21 10:00:00', 'x-stream'),"
                    + " ('x:99', 'x', TIMESTAMP '2026-11-21 10:30:00', 'x-stream')"
                    + ") t(post_id, platform, deleted_at, source))"
                    + " TO '" + tombstones.resolve("part-0.parquet") + "' (FORMAT parquet)");
        }
        try (LocalLake local = LocalLake.open(lake)) {
            assertThat(local.query("SELECT post_id FROM posts ORDER BY post_id", 10).rows())
                    .containsExactly(List.of("x:1"), List.of("x:3"), List.of("x:4"));
            assertThat(local.query("SELECT post_id FROM posts_all ORDER BY post_id", 10).rows())
                    .as("the files keep the deleted post").containsExactly(List.of("x:1"), List.of("x:2"), List.of("x:3"), List.of("x:4"));
            assertThat(local.query("SELECT post_id FROM entities", 10).rows()).containsExactly(List.of("x:1"));
            assertThat(local.query("SELECT count(*) FROM entities_all", 1).rows().get(0).get(0)).isEqualTo(2L);
            assertThat(local.query("SELECT post_id, dt, hour FROM tombstones WHERE post_id = 'x:2'", 1).rows().get(0))
                    .extracting(Object::toString).containsExactly("x:2", "2026-11-21", "10");

            QueryResult enriched = local.query("SELECT post_id, entity_type FROM posts_enriched ORDER BY post_id", 10);
            assertThat(enriched.rows()).containsExactly(List.of("x:1", "LOC"),
                    java.util.Arrays.asList("x:3", null), java.util.Arrays.asList("x:4", null));

            // posts, authors, scored, positive, neutral, negative
            QueryResult overview = local.query(LakeSql.query("overview").sql(), 10);
            assertThat(plain(overview.rows().get(0).subList(0, 6))).containsExactly(3L, 2L, 2L, 1L, 1L, 0L);

            QueryResult entities = local.query(LakeSql.query("top_entities").sql(), 10);
            assertThat(plain(entities.rows().get(0))).containsExactly("LOC", "Paris", 1L, 1L, 1L, 0L, 0L);
            assertThat(plain(local.query("SELECT mentions, posts FROM top_entities", 10).rows().get(0)))
                    .containsExactly(1L, 1L);

            QueryResult hashtags = local.query(LakeSql.query("top_hashtags").sql(), 10);
            assertThat(plain(hashtags.rows().get(0))).containsExactly("travel", 1L, 1L, 0L, 0L);
            assertThat(plain(local.query("SELECT sum(posts) FROM hourly_sentiment", 1).rows().get(0)))
                    .containsExactly(3L);
        }
    }

    @Test
    void filesWrittenBeforeTheNewColumnsReadThemAsNull() throws Exception {
        // writeLake's files are as the job wrote them before created_at_derived, mention_dids and text_key.
        writeLake();
        try (LocalLake local = LocalLake.open(lake)) {
            QueryResult posts = local.query("SELECT * FROM posts_all", 10);
            assertThat(posts.columns()).containsSubsequence("model_version", "created_at_derived", "mention_dids", "dt", "hour");
            assertThat(posts.columns()).endsWith("dt", "hour");
            assertThat(local.query("SELECT count(*) FROM posts_all WHERE created_at_derived IS NULL AND mention_dids IS NULL", 1)
                    .rows().get(0).get(0)).isEqualTo(4L);
            // issue 21's signals: columns of the view, null in every older file
            assertThat(posts.columns()).containsSubsequence("scored_at", "emotion", "emotion_score", "offensive", "offensive_score",
                    "hate", "hate_score", "irony", "irony_score", "dt");
            assertThat(local.query("SELECT count(*) FROM posts WHERE emotion IS NULL AND emotion_score IS NULL AND offensive IS NULL"
                    + " AND offensive_score IS NULL AND hate IS NULL AND hate_score IS NULL AND irony IS NULL AND irony_score IS NULL", 1)
                    .rows().get(0).get(0)).isEqualTo(local.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0));
            assertThat(local.query("SELECT count(*) FROM posts_all WHERE offensive OR hate OR irony", 1).rows().get(0).get(0))
                    .as("the boolean signals are booleans to SQL").isEqualTo(0L);
            assertThat(local.query("SELECT count(*) FROM entities WHERE text_key IS NULL", 1).rows().get(0).get(0)).isEqualTo(2L);
            assertThat(local.query("SELECT DISTINCT entity_key FROM posts_enriched WHERE entity_key IS NOT NULL", 10).rows())
                    .as("the key folded in SQL for old files").containsExactly(List.of("paris"));
        }
    }

    /**
     * Edits of x:1 in a file with every column, beside writeLake's files of the old layout (no
     * edited_at, no ingested_at in entities): a first edit, a second edit read by two runs, the
     * entities of each.
     */
    private void writeEditsOfX1() throws SQLException {
        Path posts = lake.resolve("posts/dt=2026-11-20/hour=08");
        Path entities = lake.resolve("entities/dt=2026-11-20/hour=08");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT p.* REPLACE (CAST(e.ingested_at AS TIMESTAMP) AS ingested_at, e.text AS text,"
                    + "   e.hashtags AS hashtags, e.sentiment AS sentiment),"
                    + " false AS created_at_derived, []::VARCHAR[] AS mention_dids, CAST(e.edited_at AS TIMESTAMP) AS edited_at"
                    + " FROM read_parquet('" + posts.resolve("part-0.parquet") + "') p,"
                    + " (VALUES ('2026-11-20 08:30:00', '2026-11-20 08:31:00', 'I love Berlin #Travel', ['Travel'], 'positive'),"
                    + "   ('2026-11-20 08:40:00', '2026-11-20 08:41:00', 'Berlin and Rome, both awful', []::VARCHAR[], 'negative'),"
                    + "   ('2026-11-20 08:40:00', '2026-11-20 10:00:00', 'Berlin and Rome, both awful', []::VARCHAR[], 'negative'))"
                    + "   e(edited_at, ingested_at, text, hashtags, sentiment)"
                    + " WHERE p.post_id = 'x:1') TO '" + posts.resolve("part-1.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT 'x:1' AS post_id, TIMESTAMP '2026-11-20 08:05:00' AS created_at, text, 'LOC' AS type,"
                    + " char_start, char_end, 0.9 AS score, 'm@1' AS model_version, lower(text) AS text_key,"
                    + " CAST(edited_at AS TIMESTAMP) AS edited_at, CAST(ingested_at AS TIMESTAMP) AS ingested_at FROM (VALUES"
                    + " ('Berlin', 7, 13, '2026-11-20 08:30:00', '2026-11-20 08:31:00'),"
                    + " ('Berlin', 0, 6, '2026-11-20 08:40:00', '2026-11-20 08:41:00'),"
                    + " ('Rome', 11, 15, '2026-11-20 08:40:00', '2026-11-20 08:41:00'),"
                    + " ('Berlin', 0, 6, '2026-11-20 08:40:00', '2026-11-20 10:00:00'),"
                    + " ('Rome', 11, 15, '2026-11-20 08:40:00', '2026-11-20 10:00:00'))"
                    + " t(text, char_start, char_end, edited_at, ingested_at)) TO '" + entities.resolve("part-1.parquet") + "' (FORMAT parquet)");
        }
    }

    @Test
    void editsAreVersionsAndTheViewsShowTheNewestReadLast() throws Exception {
        writeLake();
        writeEditsOfX1();
        try (LocalLake local = LocalLake.open(lake)) {
            assertThat(local.query("SELECT count(*) FROM posts_all WHERE post_id = 'x:1'", 1).rows().get(0).get(0))
                    .as("every version in the files").isEqualTo(4L);
            assertThat(local.query("SELECT count(*) FROM posts_all WHERE edited_at IS NULL", 1).rows().get(0).get(0))
                    .as("files without edited_at: every post as first published").isEqualTo(4L);
            assertThat(local.query("SELECT text, CAST(ingested_at AS VARCHAR) FROM posts WHERE post_id = 'x:1'", 10).rows())
                    .containsExactly(List.of("Berlin and Rome, both awful", "2026-11-20 10:00:00"));
            assertThat(plain(local.query("SELECT count(*), count(DISTINCT post_id) FROM posts", 1).rows().get(0))).containsExactly(4L, 4L);
            assertThat(local.query("SELECT text, CAST(ingested_at AS VARCHAR) FROM entities WHERE post_id = 'x:1' ORDER BY text", 10).rows())
                    .containsExactly(List.of("Berlin", "2026-11-20 10:00:00"), List.of("Rome", "2026-11-20 10:00:00"));
            // The views built on posts and entities count the newest version only.
            assertThat(local.query("SELECT entity, mentions, posts, positive, negative FROM top_entities ORDER BY entity", 10).rows())
                    .map(LocalLakeTest::plain)
                    .containsExactly(List.of("Berlin", 1L, 1L, 0L, 1L), List.of("Paris", 1L, 1L, 0L, 1L), List.of("Rome", 1L, 1L, 0L, 1L));
            assertThat(local.query("SELECT hashtag, posts FROM top_hashtags", 10).rows()).map(LocalLakeTest::plain)
                    .containsExactly(List.of("travel", 1L));
            assertThat(plain(local.query(LakeSql.query("overview").sql(), 1).rows().get(0).subList(0, 6)))
                    .containsExactly(4L, 3L, 3L, 0L, 1L, 2L);
            assertThat(local.query("SELECT version_number, text, is_newest FROM post_versions ORDER BY version_number", 10).rows())
                    .map(LocalLakeTest::plain)
                    .containsExactly(List.of(1L, "I love Paris #Travel", false), List.of(2L, "I love Berlin #Travel", false),
                            List.of(3L, "Berlin and Rome, both awful", false), List.of(4L, "Berlin and Rome, both awful", true));
        }
    }

    @Test
    void topEntitiesGroupsSpellingsByTheirKeyAndNamesEachByItsMostFrequentSpelling() throws Exception {
        writeLake(); // x:1 and x:2 mention "Paris" (files without text_key)
        Path newer = Files.createDirectories(lake.resolve("entities/dt=2026-11-20/hour=09"));
        Path newerPosts = lake.resolve("posts/dt=2026-11-20/hour=09");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // The demo's split (issue 18): Ukraine and #Ukraine, twitter and Twitter, in files with text_key.
            s.execute("COPY (SELECT * FROM (VALUES"
                    + " ('x:4', TIMESTAMP '2026-11-20 09:01:00', 'Ukraine', 'LOC', 0, 7, 0.9, 'm@1', 'ukraine'),"
                    + " ('x:4', TIMESTAMP '2026-11-20 09:01:00', '#Ukraine', 'LOC', 9, 17, 0.9, 'm@1', 'ukraine'),"
                    + " ('x:5', TIMESTAMP '2026-11-20 09:02:00', 'Ukraine', 'LOC', 0, 7, 0.9, 'm@1', 'ukraine'),"
                    + " ('x:5', TIMESTAMP '2026-11-20 09:02:00', 'twitter', 'ORG', 8, 15, 0.9, 'm@1', 'twitter'),"
                    + " ('x:4', TIMESTAMP '2026-11-20 09:01:00', 'Twitter', 'ORG', 20, 27, 0.9, 'm@1', 'twitter'),"
                    + " ('x:5', TIMESTAMP '2026-11-20 09:02:00', '#PARIS', 'LOC', 30, 36, 0.9, 'm@1', 'paris'),"
                    + " ('x:5', TIMESTAMP '2026-11-20 09:02:00', '@Obama', 'PER', 40, 46, 0.9, 'm@1', 'obama'),"
                    + " ('x:4', TIMESTAMP '2026-11-20 09:01:00', 'Obama', 'PER', 30, 35, 0.9, 'm@1', 'obama')"
                    + ") t(post_id, created_at, text, type, char_start, char_end, score, model_version, text_key))"
                    + " TO '" + newer.resolve("part-0.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (SELECT * REPLACE ('x:5' AS post_id, TIMESTAMP '2026-11-20 09:02:00' AS created_at,"
                    + " 'negative' AS sentiment), true AS created_at_derived, ['did:plc:a'] AS mention_dids"
                    + " FROM read_parquet('" + newerPosts.resolve("part-0.parquet") + "'))"
                    + " TO '" + newerPosts.resolve("part-1.parquet") + "' (FORMAT parquet)");
        }
        try (LocalLake local = LocalLake.open(lake)) {
            QueryResult top = local.query("SELECT entity_type, entity, mentions, posts, negative FROM top_entities"
                    + " ORDER BY entity_type, entity", 10);
            assertThat(top.rows()).map(LocalLakeTest::plain).containsExactly(
                    List.of("LOC", "Paris", 3L, 3L, 2L),
                    List.of("LOC", "Ukraine", 3L, 2L, 1L),
                    // ties of one each: the first spelling in order, but never one with a leading @ ('@' sorts before 'O')
                    List.of("ORG", "Twitter", 2L, 2L, 1L),
                    List.of("PER", "Obama", 2L, 2L, 1L));
            assertThat(local.query("SELECT created_at_derived, mention_dids FROM posts_all WHERE post_id = 'x:5'", 1).rows())
                    .containsExactly(List.of(true, List.of("did:plc:a")));
            assertThat(local.query("SELECT count(*) FROM posts_all WHERE created_at_derived IS NULL", 1).rows().get(0).get(0))
                    .as("the older files' rows beside the newer ones").isEqualTo(4L);
        }
    }

    /** Integral numbers as longs: DuckDB types count_if and sum differently from count. */
    private static List<Object> plain(List<Object> row) {
        return row.stream().map(v -> v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v).toList();
    }

    @Test
    void anEmptyLakeHasEmptyTablesAndWorkingViews() throws Exception {
        try (LocalLake local = LocalLake.open(lake.resolve("not-there-yet"))) {
            assertThat(local.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0)).isEqualTo(0L);
            assertThat(local.query("SELECT count(*) FROM tombstones", 1).rows().get(0).get(0)).isEqualTo(0L);
            for (String name : LakeSql.QUERIES) {
                assertThat(local.query(LakeSql.query(name).sql(), 100).columns()).as(name).isNotEmpty();
            }
        }
    }

    @Test
    void badSqlIsAnErrorAndTheLakeStaysUsable() throws Exception {
        writeLake();
        try (LocalLake local = LocalLake.open(lake)) {
            assertThatThrownBy(() -> local.query("SELECT nope FROM posts", 10)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("nope");
            assertThat(local.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0)).isEqualTo(4L);
        }
    }

    @Test
    void resultsPrintAsTableCsvAndJson() {
        QueryResult result = new QueryResult(List.of("name", "n", "tags"),
                List.of(List.of("a,\"b\"", 1L, List.of("x", "y")), java.util.Arrays.asList("line\nbreak", null, List.of())),
                false);
        assertThat(result.csv()).isEqualTo("name,n,tags\r\n\"a,\"\"b\"\"\",1,\"[x, y]\"\r\n\"line\nbreak\",,[]\r\n");
        assertThat(result.jsonLines()).isEqualTo("{\"name\":\"a,\\\"b\\\"\",\"n\":1,\"tags\":[\"x\",\"y\"]}\n"
                + "{\"name\":\"line\\nbreak\",\"n\":null,\"tags\":[]}\n");
        assertThat(result.table(60)).contains("name", "line break", "(2 rows)");
    }
}
