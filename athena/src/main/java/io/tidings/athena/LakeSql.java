package io.tidings.athena;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lake's views and named queries, written once as SQL that both Athena (Trino) and DuckDB
 * accept, and read from {@code tidings/sql/views/*.sql} and {@code tidings/sql/queries/*.sql}.
 * A file's leading {@code --} comment is its description.
 */
public final class LakeSql {
    private LakeSql() {}

    /**
     * The live views: {@code posts} and {@code entities} with the newest version of each post
     * (edits are versions, {@code edited_at}), as scored last (rescores, {@code scored_at}), and without the posts that have a tombstone, over the
     * tables {@code posts_all}, {@code entities_all} and {@code tombstones}. Each has the columns of
     * its table plus {@code dt} and {@code hour}.
     */
    public static final List<String> LIVE_VIEWS = List.of("posts", "entities");

    /** Views in creation order (later views may use earlier ones): the live views first. */
    public static final List<String> VIEWS = List.of("posts", "entities", "post_versions", "posts_enriched", "hourly_sentiment",
            "top_entities", "top_hashtags", "trending");

    /** Named queries, as {@code bin/tidings query --named NAME} and the Athena runner know them. */
    public static final List<String> QUERIES =
            List.of("overview", "sentiment_by_hour", "top_entities", "top_hashtags", "languages", "most_engaged", "trending");

    /**
     * The condition the views {@code posts} and {@code entities} put on a row of {@code posts_all}
     * or {@code entities_all} (named {@code alias}) to keep the newest version of each post, scored
     * last: no row of the same post that is edited or rescored ({@code scored_at}) is of a newer
     * version (its {@code coalesce(edited_at, created_at)} later) or of the same version and scored
     * later. A row's scoring time is {@code coalesce(scored_at, ingested_at)}: a row a run wrote as
     * it read the post was scored then; a mention written before entities_all had ingested_at
     * counts as scored first. Only edited or rescored rows are looked up, so a lake without either
     * pays almost nothing. For SQL built beside the views (the dashboard's derived tables); {@code
     * LakeSqlTest} checks the views' files hold the same text.
     */
    public static String newestVersion(String alias) {
        String version = "coalesce(" + alias + ".edited_at, " + alias + ".created_at)";
        return "NOT EXISTS (SELECT 1 FROM posts_all n\n"
                + "                  WHERE (n.edited_at IS NOT NULL OR n.scored_at IS NOT NULL)\n"
                + "                    AND n.post_id = " + alias + ".post_id\n"
                + "                    AND (coalesce(n.edited_at, n.created_at) > " + version + "\n"
                + "                         OR (coalesce(n.edited_at, n.created_at) = " + version + "\n"
                + "                             AND coalesce(n.scored_at, n.ingested_at) > " + scoredAt(alias) + ")))";
    }

    /**
     * When the row {@code alias} was scored, for ordering the rows of one version: its {@code
     * scored_at} (a rescore), else {@code ingested_at} (scored as it was read), else the epoch (a
     * mention written before entities_all had either: the first scoring).
     */
    public static String scoredAt(String alias) {
        return "coalesce(" + alias + ".scored_at, " + alias + ".ingested_at, TIMESTAMP '1970-01-01 00:00:00')";
    }

    /** A named piece of SQL and what it is for. */
    public record Named(String name, String description, String sql) {}

    public static Named view(String name) {
        return load("views", name);
    }

    public static Named query(String name) {
        if (!QUERIES.contains(name)) {
            throw new IllegalArgumentException("no named query '" + name + "'; known: " + String.join(", ", QUERIES));
        }
        return load("queries", name);
    }

    public static Map<String, Named> queries() {
        Map<String, Named> all = new LinkedHashMap<>();
        QUERIES.forEach(q -> all.put(q, query(q)));
        return all;
    }

    /** {@code CREATE OR REPLACE VIEW} for a view; the same statement runs on Athena and DuckDB. */
    public static String createView(String name) {
        return "CREATE OR REPLACE VIEW " + name + " AS\n" + view(name).sql();
    }

    private static Named load(String folder, String name) {
        String resource = "/tidings/sql/" + folder + "/" + name + ".sql";
        try (InputStream in = LakeSql.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder description = new StringBuilder();
            StringBuilder sql = new StringBuilder();
            boolean header = true;
            for (String line : text.split("\n", -1)) {
                if (header && line.startsWith("--")) {
                    description.append(description.length() == 0 ? "" : " ").append(line.substring(2).trim());
                } else {
                    header = false;
                    sql.append(line).append('\n');
                }
            }
            return new Named(name, description.toString(), sql.toString().strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The dead letters under {@code files} (a quoted glob or a {@code ?} parameter) as rows: source,
     * position, reason, failed_at, raw_bytes. A dead letter of a line cut at 16 MiB holds that line
     * twice (as text and as base64), so one JSON line may be tens of MB: DuckDB's default object
     * limit (16 MB) would make every dead letter of the lake unreadable.
     */
    public static String deadLetters(String files) {
        return "read_json(" + files + ", format = 'newline_delimited', maximum_object_size = 268435456,"
                + " columns = {source: 'VARCHAR', position: 'VARCHAR', reason: 'VARCHAR', failed_at: 'VARCHAR', raw_bytes: 'BIGINT'})";
    }
}
