package io.tidings.dashboard.lake;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.athena.LakeTables;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake as the dashboard's own in-memory DuckDB: the tables of {@code LocalLake} (athena
 * module) with the same names and columns, and the views of {@link LakeSql} over them, read
 * through a few connections to the one database so requests run side by side.
 *
 * <p>Unlike {@code LocalLake}, whose tables are views over the files, the tables here are copies
 * in memory, loaded file by file: an answer over a million posts then scans memory instead of
 * listing and opening thousands of Parquet files on every request (see the benchmark figures in
 * the README). The job never rewrites a committed file, so {@link #refreshIfChanged} only loads
 * the files it has not seen; should a file it loaded disappear, that table is loaded again from
 * scratch. The SQL console keeps reading the files themselves.
 */
public final class LakeDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeDatabase.class);
    private static final int CONNECTIONS = 4;
    /**
     * An entity's canonical key: the lake's {@code text_key}, or for files written before it, the
     * text without a leading {@code #}/{@code @}, lower case (as the {@code top_entities} view folds it).
     */
    private static final String ENTITY_KEY = "coalesce(e.text_key, lower(trim(regexp_replace(e.text, '^[#@]+', ''))))";

    /*
     * A version of a post as scored once, as an equality key: the row's {@code coalesce(edited_at,
     * created_at)} and {@link LakeSql#scoredAt} (rescores' {@code scored_at}, else {@code ingested_at},
     * else a sentinel for the nulls of mentions written before those columns).
     * {@link LakeSql#newestVersion} compares versions with inequalities, which DuckDB evaluates row by
     * row over the whole table on every request (2–4 times slower answers at a million posts);
     * here the versions it leaves out are found once per load ({@code superseded_posts},
     * {@code superseded_mentions}), and the views leave them out with an equality anti-join.
     */

    /**
     * The {@code posts} view here: as {@code views/posts.sql}, with the version rule precomputed. DuckDB's
     * own {@code ANTI JOIN}: two {@code NOT EXISTS} with keys that are expressions were planned as a
     * correlated join, 190 ms an overview over a million posts instead of 48 ms.
     */
    private static final String POSTS_VIEW = "CREATE OR REPLACE VIEW posts AS SELECT p.* FROM posts_all p"
            + " ANTI JOIN tombstones t ON t.post_id = p.post_id"
            + " ANTI JOIN superseded_posts s ON s.post_id = p.post_id"
            + "   AND s.version = coalesce(p.edited_at, p.created_at) AND s.scored_at = " + LakeSql.scoredAt("p");

    /** The {@code entities} view here: as {@code views/entities.sql}, with the version rule precomputed. */
    private static final String ENTITIES_VIEW = "CREATE OR REPLACE VIEW entities AS SELECT e.* FROM entities_all e"
            + " ANTI JOIN tombstones t ON t.post_id = e.post_id"
            + " ANTI JOIN superseded_mentions s ON s.post_id = e.post_id"
            + "   AND s.version = coalesce(e.edited_at, e.created_at) AND s.scored_at = " + LakeSql.scoredAt("e");

    private final Path root;
    private final DuckDBConnection primary;
    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);
    private final ReadWriteLock definitions = new ReentrantReadWriteLock();
    private final Map<String, java.util.Set<String>> loadedFiles = new java.util.HashMap<>();
    private boolean mentionsBuilt;
    /** Set by {@link #load} when a table was emptied and loaded again (a file it held disappeared). */
    private boolean reloaded;

    private LakeDatabase(Path root, DuckDBConnection primary) {
        this.root = root;
        this.primary = primary;
    }

    public static LakeDatabase open(Path root, LakeVersion.Snapshot snapshot) throws SQLException {
        DuckDBConnection primary = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        LakeDatabase db = new LakeDatabase(root.toAbsolutePath().normalize(), primary);
        try {
            db.refreshIfChanged(snapshot);
            for (int i = 0; i < CONNECTIONS; i++) {
                db.pool.add(primary.duplicate());
            }
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public Path root() {
        return root;
    }

    /**
     * Loads the lake's committed files that are not loaded yet. Returns false when some could not
     * be read (a file still being written by a tool that does not write atomically): they are
     * tried again at the next call.
     */
    public boolean refreshIfChanged(LakeVersion.Snapshot snapshot) throws SQLException {
        synchronized (loadedFiles) {
            if (loadedFiles.isEmpty()) {
                for (LakeTables.Table table : LakeTables.ALL) {
                    execute(LocalLake.definition(root, table, false));
                    loadedFiles.put(table.name(), new java.util.HashSet<>());
                }
                buildSuperseded();
                for (String view : LakeSql.VIEWS) {
                    execute(view.equals("posts") ? POSTS_VIEW : view.equals("entities") ? ENTITIES_VIEW : LakeSql.createView(view));
                }
            }
            boolean complete = true;
            boolean mentionsStale = !mentionsBuilt;
            for (LakeTables.Table table : LakeTables.ALL) {
                int before = loadedFiles.get(table.name()).size();
                reloaded = false;
                complete &= load(table);
                boolean changed = reloaded || loadedFiles.get(table.name()).size() != before;
                // Tombstones are applied when mentions are read, not built in.
                mentionsStale |= changed && !table.equals(LakeTables.TOMBSTONES);
            }
            if (mentionsStale) {
                buildMentions();
            }
            return complete;
        }
    }

    /**
     * {@code mentions}: one row per (post, entity) — the entity by its canonical key ({@code
     * folded}: the lake's {@code text_key}, so {@code Ukraine} and {@code #Ukraine} are one) — with
     * the post's time, partition, sentiment and the columns the API's filters use. The entity
     * answers aggregate this one narrow table instead of joining 1.5 million mentions with a million
     * posts on string keys on every request (the figures in the README). Rebuilt when files load;
     * of an edited post only its newest version's mentions ({@link LakeSql#newestVersion}, as the
     * {@code entities} view keeps them); deleted posts are left out at query time (tombstones are
     * few), like the {@code posts} view does.
     * {@code entity_names} names each key by its most frequent spelling (on a tie, one without a
     * leading {@code #}/{@code @}), as the {@code top_entities} view does.
     */
    private void buildMentions() throws SQLException {
        definitions.writeLock().lock();
        try {
            buildSuperseded();
            execute("CREATE OR REPLACE TABLE mentions AS"
                    + " SELECT e.post_id, e.dt, e.hour, min(e.created_at) AS created_at, " + ENTITY_KEY + " AS folded, e.type,"
                    + "   min(e.text) AS text, count(*) AS n, any_value(p.sentiment) AS sentiment,"
                    + "   any_value(p.platform) AS platform, any_value(p.lang_detected) AS lang_detected,"
                    + "   any_value(p.matched_rules) AS matched_rules"
                    + " FROM entities_all e JOIN posts_all p ON p.post_id = e.post_id AND p.dt = e.dt AND p.hour = e.hour"
                    + " WHERE " + newest("e") + " AND " + newest("p")
                    + " GROUP BY e.post_id, e.dt, e.hour, " + ENTITY_KEY + ", e.type");
            execute("CREATE OR REPLACE TABLE entity_names AS SELECT folded, type,"
                    + " first(text ORDER BY n DESC, CASE WHEN substr(text, 1, 1) IN ('#', '@') THEN 1 ELSE 0 END, text) AS text"
                    + " FROM (SELECT " + ENTITY_KEY + " AS folded, e.type, e.text, count(*) AS n FROM entities_all e"
                    + "   WHERE " + newest("e") + " GROUP BY ALL)"
                    + " GROUP BY ALL");
            // Hashtags, @-mentions and link domains, each distinct within its post and folded, with
            // the same post columns: the top-terms answer then groups one narrow table.
            // Of each post its newest version only (edits), as the view posts shows it.
            String postColumns = "post_id, dt, hour, created_at, sentiment, platform, lang_detected, matched_rules";
            String newestPosts = "(SELECT * FROM posts_all p WHERE " + newest("p") + ")";
            execute("CREATE OR REPLACE TABLE post_terms AS WITH newest AS " + newestPosts + " SELECT * FROM ("
                    + " SELECT " + postColumns + ", 'hashtag' AS term_kind,"
                    + "   unnest(list_distinct(list_transform(hashtags, lambda x: lower(x)))) AS term FROM newest"
                    + " UNION ALL SELECT " + postColumns + ", 'mention',"
                    + "   unnest(list_distinct(list_transform(mentions, lambda x: lower(ltrim(x, '@'))))) FROM newest"
                    + " UNION ALL SELECT " + postColumns + ", 'domain', unnest(list_distinct(list_transform(urls,"
                    + "   lambda x: regexp_extract(lower(x), '^[a-z][a-z0-9+.-]*://(?:www\\.)?([^/:?#]+)', 1)))) FROM newest)"
                    + " WHERE term <> ''");
            mentionsBuilt = true;
        } finally {
            definitions.writeLock().unlock();
        }
    }

    /**
     * The versions {@link LakeSql#newestVersion} leaves out, as equality keys: of posts rows and of
     * mention rows. Only posts with an edit or a rescore have any, so both tables stay small.
     */
    private void buildSuperseded() throws SQLException {
        String edited = "(SELECT DISTINCT post_id FROM posts_all WHERE edited_at IS NOT NULL OR scored_at IS NOT NULL)";
        execute("CREATE OR REPLACE TABLE superseded_posts AS SELECT DISTINCT p.post_id,"
                + " coalesce(p.edited_at, p.created_at) AS version, " + LakeSql.scoredAt("p") + " AS scored_at FROM posts_all p"
                + " WHERE p.post_id IN " + edited + " AND NOT (" + LakeSql.newestVersion("p") + ")");
        execute("CREATE OR REPLACE TABLE superseded_mentions AS SELECT DISTINCT e.post_id,"
                + " coalesce(e.edited_at, e.created_at) AS version, " + LakeSql.scoredAt("e") + " AS scored_at"
                + " FROM entities_all e WHERE e.post_id IN " + edited + " AND NOT (" + LakeSql.newestVersion("e") + ")");
    }

    /** A row of {@code alias} (posts_all p or entities_all e) is of its post's newest version. */
    private static String newest(String alias) {
        boolean post = alias.equals("p");
        return "NOT EXISTS (SELECT 1 FROM " + (post ? "superseded_posts" : "superseded_mentions") + " s"
                + " WHERE s.post_id = " + alias + ".post_id AND s.version = coalesce(" + alias + ".edited_at, " + alias
                + ".created_at) AND s.scored_at = " + LakeSql.scoredAt(alias) + ")";
    }

    private boolean load(LakeTables.Table table) throws SQLException {
        java.util.Set<String> loaded = loadedFiles.get(table.name());
        List<String> current = committedFiles(root.resolve(table.folder()));
        if (current == null) {
            return false; // the listing failed: keep what is loaded, look again next time
        }
        boolean reload = !new java.util.HashSet<>(current).containsAll(loaded);
        List<String> fresh = reload ? current : current.stream().filter(f -> !loaded.contains(f)).toList();
        if (fresh.isEmpty() && !reload) {
            return true;
        }
        LakeLayout layout = LakeLayout.of(root);
        definitions.writeLock().lock();
        try {
            if (reload) {
                execute("DELETE FROM " + table.name());
                loaded.clear();
                reloaded = true;
            }
            // In slices, so one unreadable file holds back only its slice.
            boolean complete = true;
            for (int i = 0; i < fresh.size(); i += 500) {
                List<String> slice = fresh.subList(i, Math.min(fresh.size(), i + 500));
                try {
                    execute("INSERT INTO " + table.name() + " BY NAME " + layout.selectFrom(table,
                            "[" + slice.stream().map(LakeDatabase::quote).collect(Collectors.joining(", ")) + "]"));
                    loaded.addAll(slice);
                } catch (SQLException e) {
                    LOG.warn("could not load {} file(s) of {} yet, will retry: {}", slice.size(), table.name(),
                            e.getMessage());
                    complete = false;
                }
            }
            return complete;
        } finally {
            definitions.writeLock().unlock();
        }
    }

    /**
     * The committed Parquet files of a table folder ({@code dt=.../[hour=.../]*.parquet}, hidden
     * in-progress files left out); null when the folder could not be listed (a file vanishing
     * mid-listing), which must not read as "every file is gone".
     */
    private static List<String> committedFiles(Path folder) {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = java.nio.file.Files.find(folder, 3, (p, attrs) -> attrs.isRegularFile()
                && p.getFileName().toString().endsWith(".parquet") && !p.getFileName().toString().startsWith("."))) {
            return files.map(Path::toString).sorted().toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not list {}, will retry: {}", folder, e.toString());
            return null;
        }
    }

    /** Runs a query with its parameters bound, rows as column → JSON-ready value. */
    public List<Map<String, Object>> query(String sql, List<?> params) throws SQLException {
        definitions.readLock().lock();
        Connection connection = null;
        try {
            connection = pool.take();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rows(rs, Integer.MAX_VALUE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        } finally {
            if (connection != null) {
                pool.add(connection);
            }
            definitions.readLock().unlock();
        }
    }

    /** The first row of a query (a query that always returns one, like an aggregate). */
    public Map<String, Object> one(String sql, List<?> params) throws SQLException {
        List<Map<String, Object>> rows = query(sql, params);
        return rows.isEmpty() ? new LinkedHashMap<>() : rows.get(0);
    }

    /** Reads at most {@code maxRows} rows, converting each value with {@link #jsonValue}. */
    public static List<Map<String, Object>> rows(ResultSet rs, int maxRows) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rows.size() < maxRows && rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                row.put(meta.getColumnLabel(i), jsonValue(rs.getObject(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * A JDBC value as JSON wants it: timestamps (UTC wall clock in the lake) as ISO-8601 instants,
     * dates as ISO dates, arrays as lists, big and odd numbers as plain numbers or strings.
     */
    public static Object jsonValue(Object value) throws SQLException {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Timestamp ts) {
            return ts.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof Array array) {
            List<Object> list = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                list.add(jsonValue(item));
            }
            return list;
        }
        if (value instanceof java.sql.Struct struct) {
            List<Object> list = new ArrayList<>();
            for (Object item : struct.getAttributes()) {
                list.add(jsonValue(item));
            }
            return list;
        }
        if (value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal
                || value instanceof Short || value instanceof Byte || value instanceof Float) {
            Number number = (Number) value;
            return value instanceof java.math.BigDecimal decimal ? decimal.doubleValue() : number;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), jsonValue(e.getValue()));
            }
            return out;
        }
        return value.toString();
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = primary.createStatement()) {
            statement.execute(sql);
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : pool) {
            c.close();
        }
        primary.close();
    }
}
