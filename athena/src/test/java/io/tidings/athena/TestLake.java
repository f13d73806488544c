package io.tidings.athena;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A lake of generated Parquet files laid out as the job writes them ({@code posts/dt=…/hour=HH/},
 * partition columns in the folder names only): {@code hours} hours of {@code postsPerHour} posts
 * with varied sentiment, hashtags and engagement, entity mentions for every third post, and one
 * tombstone. Big enough that a {@code SELECT} of all posts takes several Athena result pages.
 */
public final class TestLake {
    private TestLake() {}

    public static final String DAY = "2026-11-20";

    public static void write(Path lake, int hours, int postsPerHour) throws IOException, SQLException {
        String postColumns = POST_COLUMNS;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (int hour = 0; hour < hours; hour++) {
                String partition = "dt=" + DAY + "/hour=" + String.format("%02d", hour);
                Path posts = Files.createDirectories(lake.resolve("posts").resolve(partition));
                Path entities = Files.createDirectories(lake.resolve("entities").resolve(partition));
                String numbered = numbered(hour, postsPerHour);
                // Odd hours as the job wrote files before created_at_derived, mention_dids, text_key
                // and the versions (edited_at); even hours with them.
                boolean newer = hour % 2 == 0;
                s.execute("COPY (SELECT " + postColumns
                        + (newer ? ", n % 4 = 1 AS created_at_derived, CASE WHEN n % 3 = 0 THEN ['did:plc:' || n] ELSE []::VARCHAR[] END AS mention_dids,"
                                + " NULL::TIMESTAMP AS edited_at" : "")
                        + " FROM " + numbered + ") TO '" + posts.resolve("part-0.parquet") + "' (FORMAT parquet)");
                // Spellings of one name (Paris, #Paris, PARIS) that group by their key, ties included.
                s.execute("COPY (SELECT post_id, created_at,"
                        + " CASE n % 2 WHEN 0 THEN ['Paris', '#Paris', 'PARIS', 'Paris'][1 + n % 4] ELSE ['Obama', '@Obama'][1 + n % 5 % 2] END AS text,"
                        + " CASE n % 2 WHEN 0 THEN 'LOC' ELSE 'PER' END AS type,"
                        + " 13::INTEGER AS char_start, 18::INTEGER AS char_end, 0.875::DOUBLE AS score, 'tweet-multitask@1' AS model_version"
                        + (newer ? ", lower(ltrim(text, '#@')) AS text_key, NULL::TIMESTAMP AS edited_at, created_at AS ingested_at" : "")
                        + " FROM " + numbered + " WHERE n % 3 = 0) TO '" + entities.resolve("part-0.parquet") + "' (FORMAT parquet)");
            }
            Path tombstones = Files.createDirectories(lake.resolve("tombstones/dt=" + DAY + "/hour=23"));
            s.execute("COPY (SELECT 'x:1000003' AS post_id, 'x' AS platform, TIMESTAMP '" + DAY + " 23:00:00' AS deleted_at,"
                    + " 'x-delete' AS source) TO '" + tombstones.resolve("part-0.parquet") + "' (FORMAT parquet)");
        }
    }

    /**
     * Adds edits (versions) of posts of {@link #write}'s first two hours, in a second file of each
     * hour with every column: every sixth post edited 10 minutes after it was posted, its text then
     * about Berlin (one entity, Berlin, LOC), every twelfth edited again at 20 minutes (Berlin and
     * Rome); the second edit of the hour's first post read twice, by two runs (later ingested_at),
     * and its first edit arriving after the second. Hour 1's originals are in a file of the old
     * layout, without edited_at.
     */
    public static void writeEdits(Path lake, int postsPerHour) throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (int hour = 0; hour < 2; hour++) {
                String partition = "dt=" + DAY + "/hour=" + String.format("%02d", hour);
                String edits = "(SELECT n, post_id, created_at, created_at + INTERVAL 10 MINUTE AS edited_at,"
                        + "   created_at + INTERVAL 11 MINUTE AS ingested_at, 'edited: post number ' || n || ' about Berlin' AS text"
                        + " FROM " + numbered(hour, postsPerHour) + " WHERE n % 6 = 0"
                        + " UNION ALL SELECT n, post_id, created_at, created_at + INTERVAL 20 MINUTE,"
                        + "   created_at + INTERVAL (21 + CASE WHEN k = 1 THEN 60 ELSE 0 END) MINUTE,"
                        + "   'edited again: post number ' || n || ' about Berlin and Rome'"
                        + " FROM " + numbered(hour, postsPerHour) + ", range(2) k(k)"
                        + " WHERE n % 12 = 0 AND (k = 0 OR n = " + hour * postsPerHour + "))";
                String columns = POST_COLUMNS.replace("'post number ' || n || ' about Paris' AS text", "text")
                        .replace("created_at AS ingested_at", "ingested_at");
                s.execute("COPY (SELECT " + columns + ", false AS created_at_derived, []::VARCHAR[] AS mention_dids, edited_at"
                        + " FROM " + edits + " ORDER BY edited_at DESC) TO '"
                        + lake.resolve("posts").resolve(partition).resolve("part-1.parquet") + "' (FORMAT parquet)");
                s.execute("COPY (SELECT post_id, created_at, entity AS text, 'LOC' AS type, CAST(strpos(text, entity) - 1 AS INTEGER) AS char_start,"
                        + " CAST(strpos(text, entity) - 1 + length(entity) AS INTEGER) AS char_end, 0.875::DOUBLE AS score,"
                        + " 'tweet-multitask@1' AS model_version, lower(entity) AS text_key, edited_at, ingested_at"
                        + " FROM " + edits + ", unnest(CASE WHEN text LIKE '%Rome' THEN ['Berlin', 'Rome'] ELSE ['Berlin'] END) u(entity))"
                        + " TO '" + lake.resolve("entities").resolve(partition).resolve("part-1.parquet") + "' (FORMAT parquet)");
            }
        }
    }

    /**
     * Adds rescores (as {@code tidings rescore} writes them: the shown row again, with the new
     * model_version and scored_at) after {@link #writeEdits} with 20 posts an hour: x:1000000's
     * newest version (its second edit, read last) now positive with only Rome; x:1000009 (unedited,
     * Paris) and x:1000021 (first version in a file of the old layout, its mention without
     * ingested_at) with no entity at all.
     */
    public static void writeRescores(Path lake) throws IOException, SQLException {
        String scoredAt = "TIMESTAMP '" + DAY + " 05:00:00'";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (int hour = 0; hour < 2; hour++) {
                Path partition = lake.resolve("posts/dt=" + DAY + "/hour=0" + hour);
                String shown = "read_parquet('" + partition + "/part-*.parquet', union_by_name = true, hive_partitioning = false)";
                s.execute("COPY (SELECT * REPLACE ('tweet-multitask@2' AS model_version, 'positive' AS sentiment),"
                        + " CAST(" + scoredAt + " AS TIMESTAMP) AS scored_at FROM " + shown
                        + " WHERE post_id IN ('x:1000009', 'x:1000021')"
                        + "    OR (post_id = 'x:1000000' AND ingested_at = created_at + INTERVAL 81 MINUTE))"
                        + " TO '" + partition.resolve("part-rescore.parquet") + "' (FORMAT parquet)");
            }
            s.execute("COPY (SELECT post_id, created_at, 'Rome' AS text, 'LOC' AS type, CAST(strpos(text, 'Rome') - 1 AS INTEGER) AS char_start,"
                    + " CAST(strpos(text, 'Rome') + 3 AS INTEGER) AS char_end, 0.75::DOUBLE AS score, model_version,"
                    + " 'rome' AS text_key, edited_at, ingested_at, scored_at"
                    + " FROM read_parquet('" + lake.resolve("posts/dt=" + DAY + "/hour=00/part-rescore.parquet") + "')"
                    + " WHERE post_id = 'x:1000000')"
                    + " TO '" + lake.resolve("entities/dt=" + DAY + "/hour=00/part-rescore.parquet") + "' (FORMAT parquet)");
        }
    }

    private static String numbered(int hour, int postsPerHour) {
        return "(SELECT i + " + hour * postsPerHour + " AS n,"
                + " 'x:' || (1000000 + i + " + hour * postsPerHour + ") AS post_id,"
                + " TIMESTAMP '" + DAY + " 00:00:00' + INTERVAL (" + hour + ") HOUR + INTERVAL (i % 3600) SECOND AS created_at"
                + " FROM range(" + postsPerHour + ") r(i))";
    }

    private static final String POST_COLUMNS = "post_id, 'x' AS platform, substr(post_id, 3) AS native_id,"
                + " 'https://x.com/i/web/status/' || substr(post_id, 3) AS url, created_at, created_at AS ingested_at,"
                + " 'u' || (n % 97) AS author_id, 'user' || (n % 97) AS author_handle, NULL::VARCHAR AS author_name,"
                + " (n * 13) % 5000 AS author_followers, NULL::VARCHAR AS author_location,"
                + " 'post number ' || n || ' about Paris' AS text, 'post' AS kind,"
                + " NULL::VARCHAR AS reply_to_id, NULL::VARCHAR AS quote_of_id, NULL::VARCHAR AS repost_of_id,"
                + " (n * 7) % 1000 AS like_count, CASE WHEN n % 5 = 0 THEN NULL ELSE (n * 3) % 100 END AS repost_count,"
                + " NULL::BIGINT AS reply_count, NULL::BIGINT AS quote_count,"
                + " CASE n % 4 WHEN 0 THEN ['Travel', 'paris'] WHEN 1 THEN ['travel'] WHEN 2 THEN []::VARCHAR[] ELSE ['BTC'] END AS hashtags,"
                + " []::VARCHAR[] AS mentions, []::VARCHAR[] AS urls, []::VARCHAR[] AS cashtags, 'en' AS lang,"
                + " CASE n % 10 WHEN 0 THEN 'es' WHEN 1 THEN NULL ELSE 'en' END AS lang_detected, 0.9::DOUBLE AS lang_confidence,"
                + " NULL::VARCHAR AS geo, ['demo'] AS matched_rules,"
                + " CASE n % 7 WHEN 0 THEN NULL WHEN 1 THEN 'negative' WHEN 2 THEN 'neutral' ELSE 'positive' END AS sentiment,"
                + " 0.75::DOUBLE AS sentiment_score, 0.125::DOUBLE AS p_negative, 0.125::DOUBLE AS p_neutral, 0.75::DOUBLE AS p_positive,"
                + " 'tweet-multitask@1' AS model_version";
}
