package io.tidings.dashboard.lake;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.athena.LakeTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake as the dashboard's own DuckDB database, in a file of a cache folder (never in the lake,
 * which may be read-only): the tables of {@code LocalLake} (athena module) with the same names and
 * columns, the views of {@link LakeSql} over them, and tables derived from them for the entity and
 * term answers, read through a few connections to the one database so requests run side by side.
 *
 * <p>Unlike {@code LocalLake}, whose tables are views over the files, the tables here are copies,
 * loaded file by file: an answer over a million posts then scans DuckDB's own columnar storage
 * instead of listing and opening thousands of Parquet files on every request (see the benchmark
 * figures in the README). The database is a file with a {@code memory_limit} and a spill folder,
 * so memory does not grow with the lake: DuckDB's buffer manager keeps the pages in use and reads
 * the others from the file on demand.
 *
 * <p>{@link #refreshIfChanged} loads the files it has not seen, in rounds of at most
 * {@value #FILES_PER_ROUND} files per table, each round one transaction on the writer connection:
 * the new rows are appended, and the derived tables are brought up to date for the partitions the
 * new rows fall in (their rows deleted and computed again; every other partition untouched). Until
 * the round commits, requests on the other connections see the state before it (DuckDB's MVCC), so
 * no request waits on a refresh. Should a file it loaded disappear, everything is loaded again.
 */
public final class LakeDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LakeDatabase.class);
    /** Reading connections: queries side by side, as many as there are cores (2 to 4); more only share the cores and the memory limit. */
    private static final int CONNECTIONS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Files per table per round: bounds a round's staging tables and its transaction, and so the
     * memory of a large lake's first load, which DuckDB's memory_limit does not all cover. Measured
     * over a million posts (950 posts files, 2,470 entities files): a peak of 1,091 MB resident with
     * 500 files a round, 708 MB with 100, for a first load 26% longer (README, *Memory*).
     */
    static final int FILES_PER_ROUND = 100;
    /**
     * Rounds of the load at start between two openings of the database ({@link #reopen}). DuckDB's
     * memory beside its buffer pool grew round after round of a long load, past what its
     * memory_limit bounds: ten million posts (123 rounds) took the process to 1,015 MB resident
     * with 384MB; one thread or {@code preserve_insertion_order = false} changed nothing, and a
     * lower limit during the load ran out of memory. Opened again every 20 rounds: 825 MB at most (README, *Memory*).
     */
    static final int ROUNDS_PER_OPENING = 20;

    /** How a load goes: files per table a round, and (at start) rounds between two openings; a test makes them small. */
    record Rounds(int files, int perOpening) {
        static final Rounds DEFAULT = new Rounds(FILES_PER_ROUND, ROUNDS_PER_OPENING);
    }
    /**
     * Files per reading statement: 500 posts files read at once (union_by_name) ran out of a 512 MB
     * memory limit over a lake of small checkpoint files.
     */
    private static final int FILES_PER_STATEMENT = 100;
    /**
     * The default {@code memory_limit} of the dashboard's DuckDB, the SQL console's statements
     * included. What DuckDB allocates beside its buffer pool (its allocator's freed pages not yet
     * given back, a query's transient buffers) and the JVM come on top: over ten million posts, one
     * client asking the endpoints in turn peaked at 1,030 MB resident with 512MB and 821 MB with
     * 384MB, at the same speed (README, *Memory*).
     */
    public static final String DEFAULT_MEMORY_LIMIT = "384MB";
    private static final String DATABASE_FILE = "lake.duckdb";
    /**
     * An entity's canonical key: the lake's {@code text_key}, or for files written before it, the
     * text without a leading {@code #}/{@code @}, lower case (as the {@code top_entities} view folds it).
     */
    public static final String ENTITY_KEY = "coalesce(e.text_key, lower(trim(regexp_replace(e.text, '^[#@]+', ''))))";

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

    /**
     * Where the database file lives and how much memory DuckDB may use. {@code folder} null: a
     * fresh folder under the system temp folder, deleted on close (tests, the benchmark); a folder
     * given is kept, and a later start over the same lake loads only the files committed since.
     */
    public record Storage(Path folder, String memoryLimit) {
        public Storage {
            memoryLimit = memoryLimit == null || memoryLimit.isBlank() ? DEFAULT_MEMORY_LIMIT : memoryLimit.strip();
            if (!memoryLimit.matches("[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|KiB|MiB|GiB)")) {
                throw new IllegalArgumentException("memory limit must be a size like 512MB or 2GB, got '" + memoryLimit + "'");
            }
        }

        public static Storage temporary() {
            return new Storage(null, null);
        }

        /**
         * {@code serve}'s default: {@code ~/.cache/tidings/dashboard/NAME-HASH} (or under
         * {@code $XDG_CACHE_HOME}), one folder per lake path.
         */
        public static Path defaultFolder(Path lake) {
            return defaultFolder(LakeRoot.local(lake));
        }

        /** {@link #defaultFolder(Path)} of any lake: {@code s3-BUCKET-PREFIX-HASH} for an S3 one. */
        public static Path defaultFolder(LakeRoot lake) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            String name = lake.cacheName().replaceAll("[^A-Za-z0-9._-]", "_");
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(lake.location().getBytes(StandardCharsets.UTF_8));
                return base.resolve("tidings").resolve("dashboard").resolve(name + "-" + HexFormat.of().formatHex(digest, 0, 6));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final LakeRoot root;
    private final Path folder;
    private final boolean temporary;
    private final String memoryLimit;
    /** The writer; opened again once after a start's load ({@link #open}), before any reader is made from it. */
    private DuckDBConnection primary;
    /**
     * A small in-memory DuckDB of its own for what is read from the lake's files at each request
     * (dead letters, JSON lines): {@code read_json} reserves a buffer of twice the largest object
     * (512 MiB for the dead letters' raw lines), more than the tables' {@code memory_limit} leaves.
     */
    private Connection files;
    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);
    /** Held shared by every query; exclusively by a query run again after running out of memory. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock alone = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final Map<String, Set<String>> loadedFiles = new HashMap<>();
    private volatile Runnable beforeCommit = () -> { };
    private final Rounds rounds;

    private LakeDatabase(LakeRoot root, Path folder, boolean temporary, String memoryLimit, DuckDBConnection primary, Rounds rounds) {
        this.rounds = rounds;
        this.root = root;
        this.folder = folder;
        this.temporary = temporary;
        this.memoryLimit = memoryLimit;
        this.primary = primary;
    }

    /** Opens the database in a temporary folder (deleted on close) and loads the lake. */
    public static LakeDatabase open(Path root, LakeVersion.Snapshot snapshot) throws SQLException {
        return open(root, snapshot, Storage.temporary());
    }

    /** Opens (or creates) the database in {@code storage}'s folder and loads what the lake has that it lacks. */
    public static LakeDatabase open(Path root, LakeVersion.Snapshot snapshot, Storage storage) throws SQLException {
        return open(LakeRoot.local(root), snapshot, storage);
    }

    /** {@link #open(Path, LakeVersion.Snapshot, Storage)} for a lake anywhere ({@link LakeRoot}: a folder or S3). */
    public static LakeDatabase open(LakeRoot lake, LakeVersion.Snapshot snapshot, Storage storage) throws SQLException {
        return open(lake, snapshot, storage, Rounds.DEFAULT);
    }

    static LakeDatabase open(LakeRoot lake, LakeVersion.Snapshot snapshot, Storage storage, Rounds rounds) throws SQLException {
        Path folder;
        try {
            folder = storage.folder() == null ? Files.createTempDirectory("tidings-dashboard-")
                    : Files.createDirectories(storage.folder().toAbsolutePath().normalize());
            if (lake.contains(folder)) {
                throw new IllegalArgumentException("the dashboard's cache folder " + folder
                        + " is inside the lake; the dashboard writes nothing into the lake: give a folder outside it");
            }
            Files.createDirectories(folder.resolve("spill"));
            Files.createDirectories(folder.resolve("console"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dashboard's cache folder: " + e.getMessage(), e);
        }
        DuckDBConnection primary;
        try {
            primary = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + folder.resolve(DATABASE_FILE));
        } catch (SQLException e) {
            if (storage.folder() == null || !String.valueOf(e.getMessage()).contains("lock")) {
                throw e;
            }
            // Another dashboard over the same lake holds the file: this one keeps its own, for this run only.
            LOG.warn("the dashboard's database in {} is in use by another process ({}); using a temporary one", folder,
                    e.getMessage());
            return open(lake, snapshot, new Storage(null, storage.memoryLimit()), rounds);
        }
        LakeDatabase db = new LakeDatabase(lake, folder, storage.folder() == null, storage.memoryLimit(), primary, rounds);
        try {
            db.configure();
            db.files = DriverManager.getConnection("jdbc:duckdb:");
            lake.prepare(db.files);
            try (Statement s = db.files.createStatement()) {
                // read_json reserves its buffers up front (two of 512 MiB here) but touches only what
                // the lines fill, so this limit bounds a reservation, not the memory in use.
                s.execute("SET memory_limit = '2GB'");
                s.execute("SET threads = 1");
                s.execute("SET temp_directory = " + quote(folder.resolve("spill").toString()));
            }
            db.prepareSchema();
            int reused = db.filesLoaded();
            db.refresh(snapshot, true);
            if (db.filesLoaded() > reused) {
                db.reopen();
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                db.pool.add(db.primary.duplicate());
            }
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * The writer's settings (every reader is a duplicate of it and shares them): the memory limit
     * and spill folder, the lake's access (httpfs and credentials for S3), and jemalloc's background
     * threads. DuckDB allocates through jemalloc, which without them gives freed pages back to the
     * system only while it is allocating again: an idle dashboard kept what its last load had freed
     * (measured after loading a million posts: 654 MB resident, 353 MB once they were on, for a
     * buffer pool of 100 MB; the README's benchmark section).
     */
    private void configure() throws SQLException {
        execute("SET memory_limit = " + quote(memoryLimit));
        root.prepare(primary);
        execute("SET temp_directory = " + quote(folder.resolve("spill").toString()));
        execute("SET allocator_background_threads = true");
        // The allocator gives back what a task freed once the task is done, not only past DuckDB's defaults
        // (a peak of 128 MiB, 512 MiB freed at once): over ten million posts, one client asking the slow answers in
        // turn (trending, terms, an entity page) peaked at 969 MB resident with the defaults, 879 MB with these.
        execute("SET allocator_flush_threshold = '16MB'");
        execute("SET allocator_bulk_deallocation_flush_threshold = '16MB'");
        // The SQL console's statements run on this database too (SqlConsole), so its sandbox is set
        // here, before anything else runs, and locked: DuckDB may read and write files only in the
        // lake (the loader reads it), the spill folder and the console's download folder (DuckDB's
        // own database files excepted); it installs and loads no extension by itself.
        execute("SET allowed_directories = [" + quote(root.location() + "/") + ", " + quote(folder.resolve("spill") + "/")
                + ", " + quote(consoleFolder() + "/") + "]");
        execute("SET enable_external_access = false");
        execute("SET autoinstall_known_extensions = false");
        execute("SET autoload_known_extensions = false");
        // A console statement that spills without end fills this much of the disk, no more.
        execute("SET max_temp_directory_size = '4GB'");
        execute("SET lock_configuration = true");
    }

    /** The SQL console's folder of Parquet downloads, in the cache folder. */
    public Path consoleFolder() {
        return folder.resolve("console");
    }

    /**
     * A new connection to the database, for the SQL console: it sees the tables and views requests
     * read and runs under the sandbox {@link #configure} set. The caller closes it.
     */
    public Connection connect() throws SQLException {
        return primary.duplicate();
    }

    /**
     * Closes the database and opens it again over its file, after the load at start and before any
     * reader exists. A first load leaves DuckDB holding what the load used within its memory limit
     * (its buffer pool full of the pages just written, the load's own structures): measured after
     * loading a million posts, 100 MB of buffers and 125 MB resident that a fresh instance does
     * not have; the pages are read again from the file as answers need them.
     */
    private void reopen() throws SQLException {
        primary.close();
        primary = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + folder.resolve(DATABASE_FILE));
        configure();
    }

    public LakeRoot root() {
        return root;
    }

    /** The folder of the database file and its spill files. */
    public Path folder() {
        return folder;
    }

    /** How many of the lake's files are loaded (all tables). */
    public int filesLoaded() {
        synchronized (loadedFiles) {
            return loadedFiles.values().stream().mapToInt(Set::size).sum();
        }
    }

    /**
     * Runs {@code hook} on the refreshing thread inside each round's transaction, just before it
     * commits: for tests that hold a refresh while requests run.
     */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook == null ? () -> { } : hook;
    }

    /**
     * What a database file must have been made by to be reused: the tables' columns and the SQL of
     * the derived tables. A file made by another version of the dashboard, or over another lake, is
     * started afresh.
     */
    private String fingerprint() {
        LakeLayout layout = root.layout();
        StringBuilder all = new StringBuilder("format 1\n").append(root.location()).append('\n');
        for (LakeTables.Table table : LakeTables.ALL) {
            all.append(LocalLake.definition(root.location(), layout, table, false)).append('\n');
        }
        all.append(layout).append('\n');
        all.append(supersededPosts("")).append(supersededMentions("")).append(mentionsSelect(""))
                .append(spellingsSelect("")).append(postTermsSelect("")).append(postSignalsSelect(""))
                .append(postHoursSelect("")).append(authorDaysSelect("")).append(authorTotalsSelect("")).append(LakeSql.newestVersion("p"));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the tables, or keeps those of a database file this dashboard made over this lake. */
    private void prepareSchema() throws SQLException {
        String fingerprint = fingerprint();
        boolean reuse = false;
        if (!oneString("SELECT count(*) FROM information_schema.tables WHERE table_name = 'dashboard_meta'").equals("0")) {
            reuse = fingerprint.equals(oneString("SELECT max(fingerprint) FROM dashboard_meta"));
            if (!reuse) {
                LOG.info("the dashboard's database in {} was made for another lake or version: starting afresh", folder);
                List<String> tables = new ArrayList<>();
                try (Statement s = primary.createStatement();
                        ResultSet rs = s.executeQuery("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'")) {
                    while (rs.next()) {
                        tables.add((rs.getString(2).equals("VIEW") ? "VIEW " : "TABLE ") + rs.getString(1));
                    }
                }
                for (String t : tables) {
                    execute("DROP " + t.replace(" ", " IF EXISTS ") + " CASCADE");
                }
            }
        }
        for (LakeTables.Table table : LakeTables.ALL) {
            loadedFiles.put(table.name(), new HashSet<>());
        }
        if (reuse) {
            try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name, file FROM dashboard_files")) {
                while (rs.next()) {
                    loadedFiles.get(rs.getString(1)).add(rs.getString(2));
                }
            }
            LOG.info("reusing the dashboard's database in {} ({} files loaded before)", folder,
                    loadedFiles.values().stream().mapToInt(Set::size).sum());
            return;
        }
        for (LakeTables.Table table : LakeTables.ALL) {
            execute(LocalLake.definition(root.location(), LakeLayout.HOUR, table, false));
        }
        execute("CREATE TABLE dashboard_files (table_name VARCHAR, file VARCHAR)");
        execute("CREATE TABLE superseded_posts AS " + supersededPosts("") + " LIMIT 0");
        execute("CREATE TABLE superseded_mentions AS " + supersededMentions("") + " LIMIT 0");
        execute("CREATE TABLE mentions AS " + mentionsSelect("") + " LIMIT 0");
        execute("CREATE TABLE entity_spellings AS " + spellingsSelect("") + " LIMIT 0");
        execute("CREATE TABLE entity_names AS " + entityNamesSelect("") + " LIMIT 0");
        execute("CREATE TABLE post_terms AS " + postTermsSelect("") + " LIMIT 0");
        execute("CREATE TABLE post_signals AS " + postSignalsSelect("") + " LIMIT 0");
        execute("CREATE TABLE post_hours AS " + postHoursSelect("") + " LIMIT 0");
        execute("CREATE TABLE author_days AS " + authorDaysSelect("") + " LIMIT 0");
        execute("CREATE TABLE author_totals AS " + authorTotalsSelect("") + " LIMIT 0");
        for (String view : LakeSql.VIEWS) {
            execute(view.equals("posts") ? POSTS_VIEW : view.equals("entities") ? ENTITIES_VIEW : LakeSql.createView(view));
        }
        execute("CREATE TABLE dashboard_meta AS SELECT " + quote(fingerprint) + " AS fingerprint");
    }

    /**
     * Loads the lake's committed files that are not loaded yet, in rounds. Returns false when some
     * could not be read (a file still being written by a tool that does not write atomically): they
     * are tried again at the next call. Called by one thread at a time (the dashboard's refresher).
     */
    public boolean refreshIfChanged(LakeVersion.Snapshot snapshot) throws SQLException {
        return refresh(snapshot, false);
    }

    /**
     * {@link #refreshIfChanged}; {@code starting}: the load at start, before any reader exists,
     * which opens the database again every {@link Rounds#perOpening} rounds.
     */
    private boolean refresh(LakeVersion.Snapshot snapshot, boolean starting) throws SQLException {
        synchronized (loadedFiles) {
            Map<LakeTables.Table, List<String>> fresh = new LinkedHashMap<>();
            boolean complete = true;
            boolean reload = false;
            for (LakeTables.Table table : LakeTables.ALL) {
                Set<String> loaded = loadedFiles.get(table.name());
                List<String> current = committedFiles(root, table.folder());
                if (current == null) {
                    complete = false; // the listing failed: keep what is loaded, look again next time
                    fresh.put(table, List.of());
                    continue;
                }
                reload |= !new HashSet<>(current).containsAll(loaded);
                fresh.put(table, current.stream().filter(f -> !loaded.contains(f)).toList());
            }
            if (reload) {
                // A file it loaded is gone (the lake was compacted or cleaned): rows cannot be traced
                // back to their file, so everything is loaded again.
                LOG.warn("files of the lake disappeared: loading the dashboard's tables again");
                emptyEverything();
                return refresh(snapshot, starting);
            }
            Set<String> failed = new HashSet<>();
            int roundsDone = 0;
            while (true) {
                Map<LakeTables.Table, List<String>> round = new LinkedHashMap<>();
                for (Map.Entry<LakeTables.Table, List<String>> e : fresh.entrySet()) {
                    List<String> left = e.getValue().stream().filter(f -> !failed.contains(f)
                            && !loadedFiles.get(e.getKey().name()).contains(f)).limit(rounds.files()).toList();
                    round.put(e.getKey(), left);
                }
                if (round.values().stream().allMatch(List::isEmpty)) {
                    break;
                }
                complete &= loadRound(round, failed);
                if (starting && ++roundsDone % rounds.perOpening() == 0) {
                    reopen();
                }
            }
            return complete;
        }
    }

    /**
     * One round: the new files staged (each slice read on its own, so one unreadable file holds back
     * only its slice), then in one transaction appended, recorded, and the derived tables of the
     * partitions they touch computed again.
     */
    private boolean loadRound(Map<LakeTables.Table, List<String>> round, Set<String> failed) throws SQLException {
        long started = System.nanoTime();
        LakeLayout layout = root.layout();
        boolean complete = true;
        Map<LakeTables.Table, List<String>> staged = new LinkedHashMap<>();
        for (Map.Entry<LakeTables.Table, List<String>> e : round.entrySet()) {
            LakeTables.Table table = e.getKey();
            String staging = "new_" + table.name();
            execute("CREATE OR REPLACE TEMP TABLE " + staging + " AS SELECT * FROM " + table.name() + " LIMIT 0");
            List<String> ok = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i += FILES_PER_STATEMENT) {
                complete &= stage(layout, table, e.getValue().subList(i, Math.min(e.getValue().size(), i + FILES_PER_STATEMENT)),
                        ok, failed);
            }
            staged.put(table, ok);
        }
        long stagedAt = System.nanoTime();
        long committing;
        primary.setAutoCommit(false);
        try {
            for (Map.Entry<LakeTables.Table, List<String>> e : staged.entrySet()) {
                String table = e.getKey().name();
                execute("INSERT INTO " + table + " SELECT * FROM new_" + table);
                for (int i = 0; i < e.getValue().size(); i += 1000) {
                    execute("INSERT INTO dashboard_files VALUES " + e.getValue().subList(i, Math.min(e.getValue().size(), i + 1000))
                            .stream().map(f -> "(" + quote(table) + ", " + quote(f) + ")").collect(Collectors.joining(", ")));
                }
            }
            // Tombstones are applied when the derived tables are read, not built in, except in
            // post_hours (counts): the partitions of the posts they delete are computed again.
            if (!staged.get(LakeTables.POSTS).isEmpty() || !staged.get(LakeTables.ENTITIES).isEmpty()
                    || !staged.get(LakeTables.TOMBSTONES).isEmpty()) {
                updateDerived();
            }
            beforeCommit.run();
            committing = System.nanoTime();
            primary.commit();
        } catch (SQLException | RuntimeException e) {
            primary.rollback();
            throw e;
        } finally {
            primary.setAutoCommit(true);
        }
        long done = System.nanoTime();
        if (done - started >= 1_000_000_000L) {
            LOG.info("a round of {} files in {} ms: read {} ms, appended and derived {} ms, committed {} ms",
                    staged.values().stream().mapToInt(List::size).sum(), (done - started) / 1_000_000, (stagedAt - started) / 1_000_000,
                    (committing - stagedAt) / 1_000_000, (done - committing) / 1_000_000);
        }
        staged.forEach((table, files) -> loadedFiles.get(table.name()).addAll(files));
        for (String temp : List.of("new_posts_all", "new_entities_all", "new_tombstones", "versioned_ids", "touched", "touched_keys",
                "touched_authors", "old_author_days", "author_delta", "new_author_totals")) {
            execute("DROP TABLE IF EXISTS temp." + temp);
        }
        return complete;
    }

    /**
     * Reads {@code files} into the table's staging table; when that fails, each half on its own, so
     * that one unreadable file (still being written by a tool that does not write atomically) holds
     * back only itself, and a statement over too many files for the memory limit (reading many
     * Parquet files at once with union_by_name) is split until it fits.
     */
    private boolean stage(LakeLayout layout, LakeTables.Table table, List<String> files, List<String> ok, Set<String> failed) {
        try {
            execute("INSERT INTO new_" + table.name() + " BY NAME " + layout.selectFrom(table,
                    "[" + files.stream().map(LakeDatabase::quote).collect(Collectors.joining(", ")) + "]"));
            ok.addAll(files);
            return true;
        } catch (SQLException e) {
            if (files.size() > 1) {
                int half = files.size() / 2;
                boolean first = stage(layout, table, files.subList(0, half), ok, failed);
                return stage(layout, table, files.subList(half, files.size()), ok, failed) && first;
            }
            LOG.warn("could not load {} of {} yet, will retry: {}", files.get(0), table.name(), e.getMessage());
            failed.addAll(files);
            return false;
        }
    }

    /**
     * Brings the derived tables up to date with the rows just appended ({@code new_posts_all},
     * {@code new_entities_all}), per partition. An edit may arrive in a later file (or a later
     * partition) than the version it replaces, so the posts with more than one version among the
     * new rows have their superseded versions found again, and their partitions count as touched
     * too: the derived rows of their older versions must go.
     */
    private void updateDerived() throws SQLException {
        StringBuilder took = new StringBuilder();
        long started = System.nanoTime();
        timed(took, "CREATE OR REPLACE TEMP TABLE versioned_ids AS SELECT DISTINCT post_id FROM posts_all"
                + " WHERE (edited_at IS NOT NULL OR scored_at IS NOT NULL) AND post_id IN (SELECT post_id FROM new_posts_all UNION SELECT post_id FROM new_entities_all)");
        // Most rounds carry no edit, rescore or deletion: the statements for those, each a scan of the
        // whole lake's rows (ten million posts: 0.4 s apiece), are left out when there is nothing for them.
        boolean versioned = !oneString("SELECT count(*) FROM versioned_ids").equals("0");
        boolean deletions = !oneString("SELECT count(*) FROM new_tombstones").equals("0");
        String ids = " IN (SELECT v.post_id FROM versioned_ids v)";
        if (versioned) {
            timed(took, "DELETE FROM superseded_posts WHERE post_id" + ids);
            timed(took, "INSERT INTO superseded_posts " + supersededPosts(" AND p.post_id" + ids));
            timed(took, "DELETE FROM superseded_mentions WHERE post_id" + ids);
            timed(took, "INSERT INTO superseded_mentions " + supersededMentions(" AND e.post_id" + ids));
        }
        timed(took, "CREATE OR REPLACE TEMP TABLE touched AS"
                + " SELECT dt, hour FROM new_posts_all UNION SELECT dt, hour FROM new_entities_all"
                + (versioned ? " UNION SELECT dt, hour FROM posts_all WHERE post_id IN (SELECT post_id FROM versioned_ids)"
                        + " UNION SELECT dt, hour FROM entities_all WHERE post_id IN (SELECT post_id FROM versioned_ids)" : "")
                + (deletions ? " UNION SELECT dt, hour FROM posts_all WHERE post_id IN (SELECT post_id FROM new_tombstones)" : ""));
        // The entity keys whose names may change: those of the touched partitions before and after.
        timed(took, "CREATE OR REPLACE TEMP TABLE touched_keys AS SELECT DISTINCT folded FROM entity_spellings s"
                + " SEMI JOIN touched t ON t.dt = s.dt AND t.hour = s.hour");
        for (String table : List.of("mentions", "entity_spellings", "post_terms", "post_signals", "post_hours")) {
            timed(took, "DELETE FROM " + table + " USING touched t WHERE " + table + ".dt = t.dt AND " + table + ".hour = t.hour");
        }
        timed(took, "INSERT INTO mentions " + mentionsSelect(" SEMI JOIN touched t ON t.dt = e.dt AND t.hour = e.hour"));
        timed(took, "INSERT INTO entity_spellings " + spellingsSelect(" SEMI JOIN touched t ON t.dt = e.dt AND t.hour = e.hour"));
        timed(took, "INSERT INTO post_terms " + postTermsSelect(" SEMI JOIN touched t ON t.dt = p.dt AND t.hour = p.hour"));
        timed(took, "INSERT INTO post_signals " + postSignalsSelect(" SEMI JOIN touched t ON t.dt = p.dt AND t.hour = p.hour"));
        timed(took, "INSERT INTO post_hours " + postHoursSelect(" SEMI JOIN touched t ON t.dt = p.dt AND t.hour = p.hour"));
        // author_days is per day, so an author's row of a touched day may change, but only for the
        // authors of the posts in the touched hours (every version of them, deleted ones too: posts_all
        // keeps them): their rows of those days are computed again from the whole day, then their totals.
        timed(took, "CREATE OR REPLACE TEMP TABLE touched_authors AS SELECT DISTINCT p.platform, p.author_id FROM posts_all p"
                + " SEMI JOIN touched t ON t.dt = p.dt AND t.hour = p.hour");
        String theirs = " SEMI JOIN touched_authors ta ON ta.platform IS NOT DISTINCT FROM %1$s.platform"
                + " AND ta.author_id IS NOT DISTINCT FROM %1$s.author_id";
        String theirDays = String.format(theirs, "author_days") + " WHERE author_days.dt IN (SELECT dt FROM touched)";
        // Their rows as they were, for the totals' delta below.
        timed(took, "CREATE OR REPLACE TEMP TABLE old_author_days AS SELECT * FROM author_days" + theirDays);
        timed(took, "DELETE FROM author_days USING touched_authors ta WHERE author_days.dt IN (SELECT dt FROM touched)"
                + " AND author_days.platform IS NOT DISTINCT FROM ta.platform AND author_days.author_id IS NOT DISTINCT FROM ta.author_id");
        timed(took, "INSERT INTO author_days " + authorDaysSelect(" SEMI JOIN (SELECT DISTINCT dt FROM touched) t ON t.dt = p.dt"
                + String.format(theirs, "p")));
        if (versioned || deletions) {
            // A post left them (an edit, a deletion): their most followers, first and last post may go
            // back, which no delta gives; their totals are added up again over all their days.
            timed(took, "DELETE FROM author_totals USING touched_authors t WHERE author_totals.platform IS NOT DISTINCT FROM t.platform"
                    + " AND author_totals.author_id IS NOT DISTINCT FROM t.author_id");
            timed(took, "INSERT INTO author_totals " + authorTotalsSelect(" SEMI JOIN touched_authors t ON a.platform IS NOT DISTINCT FROM t.platform"
                    + " AND a.author_id IS NOT DISTINCT FROM t.author_id"));
        } else {
            // Posts only came (the common round of a stream): their totals move by their days' new rows
            // less the old ones, and the most followers, first and last post can only grow, so the new
            // rows' values merge in. (Ten million posts: 1.9 s to add up every day of the hour's authors again.)
            timed(took, "CREATE OR REPLACE TEMP TABLE author_delta AS SELECT platform, author_id, sum(posts) AS posts,"
                    + " sum(scored) AS scored, sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive,"
                    + " max(followers) AS followers, min(first) AS first, max(last) AS last FROM ("
                    + "SELECT platform, author_id, posts, scored, negative, neutral, positive, followers, first, last FROM author_days"
                    + theirDays + " UNION ALL SELECT platform, author_id, -posts, -scored, -negative, -neutral, -positive, NULL, NULL, NULL"
                    + " FROM old_author_days) GROUP BY ALL");
            // A count that is null (count_if over posts none of which has a sentiment is null in DuckDB,
            // and a sum of nulls too) moves the total not at all, as it adds nothing to the sum from scratch.
            String plus = "CASE WHEN d.%1$s IS NULL THEN t.%1$s ELSE coalesce(t.%1$s, 0) + d.%1$s END AS %1$s";
            timed(took, "CREATE OR REPLACE TEMP TABLE new_author_totals AS SELECT d.platform, d.author_id, "
                    + Stream.of("posts", "scored", "negative", "neutral", "positive").map(c -> String.format(plus, c))
                            .collect(Collectors.joining(", "))
                    + ", greatest(t.followers, d.followers) AS followers, least(t.first, d.first) AS first,"
                    + " greatest(t.last, d.last) AS last"
                    + " FROM author_delta d LEFT JOIN author_totals t ON t.platform IS NOT DISTINCT FROM d.platform"
                    + " AND t.author_id IS NOT DISTINCT FROM d.author_id");
            // (Those of the hour's authors with no row in its days, whose only posts there were deleted
            // before, keep their totals: none of their rows changed.)
            timed(took, "DELETE FROM author_totals USING author_delta d WHERE author_totals.platform IS NOT DISTINCT FROM d.platform"
                    + " AND author_totals.author_id IS NOT DISTINCT FROM d.author_id");
            timed(took, "INSERT INTO author_totals SELECT * FROM new_author_totals WHERE posts > 0");
        }
        timed(took, "INSERT INTO touched_keys SELECT DISTINCT folded FROM entity_spellings s"
                + " SEMI JOIN touched t ON t.dt = s.dt AND t.hour = s.hour");
        timed(took, "DELETE FROM entity_names WHERE folded IN (SELECT folded FROM touched_keys)");
        timed(took, "INSERT INTO entity_names " + entityNamesSelect(" WHERE folded IN (SELECT folded FROM touched_keys)"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis >= 1_000) {
            // What delays a commit's visibility, statement by statement, where an operator can see it.
            LOG.info("derived tables brought up to date in {} ms ({})", millis, took);
        } else {
            LOG.debug("derived tables brought up to date in {} ms ({})", millis, took);
        }
    }

    /** {@link #execute}, noting how long the statement took (its first six words and milliseconds) in {@code took}. */
    private void timed(StringBuilder took, String sql) throws SQLException {
        long started = System.nanoTime();
        execute(sql);
        String[] words = sql.split("\\s+", 7); // up to the table's name: "CREATE OR REPLACE TEMP TABLE touched", "DELETE FROM mentions …"
        took.append(took.isEmpty() ? "" : ", ").append(String.join(" ", Arrays.copyOf(words, Math.min(words.length, 6))))
                .append(' ').append((System.nanoTime() - started) / 1_000_000);
    }

    /** Empties every table and forgets the loaded files, in one transaction, before a full load. */
    private void emptyEverything() throws SQLException {
        primary.setAutoCommit(false);
        try {
            for (String table : List.of("posts_all", "entities_all", "tombstones", "dashboard_files", "superseded_posts",
                    "superseded_mentions", "mentions", "entity_spellings", "entity_names", "post_terms", "post_signals",
                    "post_hours", "author_days", "author_totals")) {
                execute("DELETE FROM " + table);
            }
            primary.commit();
        } catch (SQLException | RuntimeException e) {
            primary.rollback();
            throw e;
        } finally {
            primary.setAutoCommit(true);
        }
        loadedFiles.values().forEach(Set::clear);
    }

    /**
     * The versions {@link LakeSql#newestVersion} leaves out, as equality keys: of posts rows and of
     * mention rows ({@code only}: a further condition on the rows). Only posts with an edit or a
     * rescore have any, so both tables stay small.
     */
    /** The posts with more than one version or scoring: an edit, or a rescore's row. */
    private static final String VERSIONED = "(SELECT post_id FROM posts_all WHERE edited_at IS NOT NULL OR scored_at IS NOT NULL)";

    private static String supersededPosts(String only) {
        return "SELECT DISTINCT p.post_id, coalesce(p.edited_at, p.created_at) AS version, " + LakeSql.scoredAt("p")
                + " AS scored_at FROM posts_all p WHERE p.post_id IN " + VERSIONED + only
                + " AND NOT (" + LakeSql.newestVersion("p") + ")";
    }

    private static String supersededMentions(String only) {
        return "SELECT DISTINCT e.post_id, coalesce(e.edited_at, e.created_at) AS version, " + LakeSql.scoredAt("e")
                + " AS scored_at FROM entities_all e WHERE e.post_id IN " + VERSIONED + only
                + " AND NOT (" + LakeSql.newestVersion("e") + ")";
    }

    /** A row of {@code alias} (posts_all p or entities_all e) is of its post's newest version. */
    private static String newest(String alias) {
        boolean post = alias.equals("p");
        return "NOT EXISTS (SELECT 1 FROM " + (post ? "superseded_posts" : "superseded_mentions") + " s"
                + " WHERE s.post_id = " + alias + ".post_id AND s.version = coalesce(" + alias + ".edited_at, " + alias
                + ".created_at) AND s.scored_at = " + LakeSql.scoredAt(alias) + ")";
    }

    /**
     * {@code mentions}: one row per (post, entity) — the entity by its canonical key ({@code
     * folded}: the lake's {@code text_key}, so {@code Ukraine} and {@code #Ukraine} are one) — with
     * the post's time, partition, sentiment and the columns the API's filters use (issue 21's
     * emotion and signals included, so those filters need no join with the posts). The entity
     * answers aggregate this one narrow table instead of joining 1.5 million mentions with a million
     * posts on string keys on every request (the figures in the README). Of an edited post only its
     * newest version's mentions ({@link LakeSql#newestVersion}, as the {@code entities} view keeps
     * them); deleted posts are left out at query time (tombstones are few), like the {@code posts}
     * view does. {@code partitions}: a semi-join on {@code e} that limits it to some partitions.
     */
    private static String mentionsSelect(String partitions) {
        return "SELECT e.post_id, e.dt, e.hour, min(e.created_at) AS created_at, " + ENTITY_KEY + " AS folded, e.type,"
                + "   min(e.text) AS text, count(*) AS n, any_value(p.sentiment) AS sentiment,"
                + "   any_value(p.platform) AS platform, any_value(p.lang_detected) AS lang_detected,"
                + "   any_value(p.matched_rules) AS matched_rules, any_value(p.emotion) AS emotion,"
                + "   any_value(p.offensive) AS offensive, any_value(p.hate) AS hate, any_value(p.irony) AS irony"
                + " FROM entities_all e" + partitions
                + " JOIN posts_all p ON p.post_id = e.post_id AND p.dt = e.dt AND p.hour = e.hour"
                + " WHERE " + newest("e") + " AND " + newest("p")
                + " GROUP BY e.post_id, e.dt, e.hour, " + ENTITY_KEY + ", e.type";
    }

    /**
     * {@code entity_spellings}: per partition, how often each spelling of each entity key occurs
     * (newest versions only); {@code entity_names} is computed from it for the keys a round touches
     * instead of from every mention in the lake.
     */
    private static String spellingsSelect(String partitions) {
        return "SELECT e.dt, e.hour, " + ENTITY_KEY + " AS folded, e.type, e.text, count(*) AS n FROM entities_all e" + partitions
                + " WHERE " + newest("e") + " GROUP BY ALL";
    }

    /**
     * {@code entity_names}: each key's most frequent spelling (on a tie, one without a leading
     * {@code #}/{@code @}), as the {@code top_entities} view names it.
     */
    private static String entityNamesSelect(String where) {
        return "SELECT folded, type, first(text ORDER BY n DESC, CASE WHEN substr(text, 1, 1) IN ('#', '@') THEN 1 ELSE 0 END, text) AS text"
                + " FROM (SELECT folded, type, text, sum(n) AS n FROM entity_spellings" + where + " GROUP BY ALL)"
                + " GROUP BY ALL";
    }

    /**
     * {@code post_terms}: hashtags, @-mentions and link domains, each distinct within its post and
     * folded, with the same post columns as {@code mentions}: the top-terms answer then groups one
     * narrow table. Of each post its newest version only (edits), as the view posts shows it.
     */
    private static String postTermsSelect(String partitions) {
        String postColumns = "post_id, dt, hour, created_at, sentiment, platform, lang_detected, matched_rules,"
                + " emotion, offensive, hate, irony";
        return "WITH newest AS (SELECT p.* FROM posts_all p" + partitions + " WHERE " + newest("p") + ")"
                + " SELECT * FROM ("
                + " SELECT " + postColumns + ", 'hashtag' AS term_kind,"
                + "   unnest(list_distinct(list_transform(hashtags, lambda x: lower(x)))) AS term FROM newest"
                + " UNION ALL SELECT " + postColumns + ", 'mention',"
                + "   unnest(list_distinct(list_transform(mentions, lambda x: lower(ltrim(x, '@'))))) FROM newest"
                + " UNION ALL SELECT " + postColumns + ", 'domain', unnest(list_distinct(list_transform(urls,"
                + "   lambda x: regexp_extract(lower(x), '^[a-z][a-z0-9+.-]*://(?:www\\.)?([^/:?#]+)', 1)))) FROM newest)"
                + " WHERE term <> ''";
    }

    /**
     * {@code post_signals}: each post's issue 21 signals (emotion, offensive, hate, irony; null where
     * the model had no such heads or the file was written before them) with the same post columns
     * as {@code post_terms}, so the signals answer counts one narrow table per request instead of
     * the posts view with its version rule. Every post has a row, signals or not: posts without
     * them are counted apart (unscored). Newest version only, as the view posts shows it.
     */
    private static String postSignalsSelect(String partitions) {
        return "SELECT p.post_id, p.dt, p.hour, p.created_at, p.sentiment, p.platform, p.lang_detected, p.matched_rules,"
                + " p.emotion, p.offensive, p.hate, p.irony FROM posts_all p" + partitions + " WHERE " + newest("p");
    }

    /**
     * {@code post_hours}: per partition, the live posts (newest version, not deleted) counted by the
     * hour they were created in and by every column a filter of the overview's kind can name
     * (platform, language, sentiment, rules), with their first and last times: a time series by hour
     * or day, and the range of the posts, add up its rows instead of scanning every post (a million
     * synthetic posts: 57,478 rows). Unlike the other derived tables it leaves deleted posts out when
     * it is built, so a round that loads tombstones computes the partitions of the posts they delete again.
     */
    static String postHoursSelect(String partitions) {
        return "SELECT p.dt, p.hour, CAST(date_trunc('hour', p.created_at) AS TIMESTAMP) AS t, p.platform, p.lang_detected,"
                + " p.sentiment, p.matched_rules, count(*) AS posts, min(p.created_at) AS first, max(p.created_at) AS last"
                + livePostsGrouped(partitions);
    }

    /** The live posts (newest version, not deleted) of {@code partitions}, grouped by the columns selected before it. */
    private static String livePostsGrouped(String partitions) {
        return " FROM posts_all p" + partitions + " ANTI JOIN tombstones d ON d.post_id = p.post_id"
                + " WHERE " + newest("p") + " GROUP BY ALL";
    }

    /**
     * {@code author_days}: per partition day, the live posts (newest version, not deleted) of each
     * author on each platform, by the day they were created in ({@code d}): their count, sentiment
     * split, the author's most followers and the first and last time. The overview counts distinct
     * authors and their reach, which no per-hour count adds up to; over whole days it groups these
     * rows by author instead of every post (ten million synthetic posts: up to 1.8 million rows; an author
     * who posts a hundred times a day is one row a day). Built like {@code post_hours} (deleted posts
     * left out), but a round computes again the whole days it touches, for the authors of the posts
     * in the hours it touches.
     */
    static String authorDaysSelect(String partitions) {
        return "SELECT p.dt, CAST(p.created_at AS DATE) AS d, p.platform, p.author_id, count(*) AS posts,"
                + " count(p.sentiment) AS scored, count_if(p.sentiment = 'negative') AS negative,"
                + " count_if(p.sentiment = 'neutral') AS neutral, count_if(p.sentiment = 'positive') AS positive,"
                + " max(p.author_followers) AS followers, min(p.created_at) AS first, max(p.created_at) AS last"
                + livePostsGrouped(partitions);
    }

    /**
     * {@code author_totals}: {@code author_days} added up over the whole lake, a row per platform
     * and author: the overview of everything (or of some platforms), the page's first question,
     * then reads one row per author instead of one per author a day (ten million synthetic posts:
     * up to 60,000 rows instead of 1.8 million; the benchmark's uncached overview, median, 637 ms
     * to 102 ms). Kept per author: a round that only adds posts moves its authors' totals by their
     * new day rows less the old ones; one with an edit or a deletion adds theirs up again ({@link #updateDerived}).
     */
    static String authorTotalsSelect(String authors) {
        return "SELECT a.platform, a.author_id, sum(a.posts) AS posts, sum(a.scored) AS scored, sum(a.negative) AS negative,"
                + " sum(a.neutral) AS neutral, sum(a.positive) AS positive, max(a.followers) AS followers,"
                + " min(a.first) AS first, max(a.last) AS last FROM author_days a" + authors + " GROUP BY ALL";
    }

    /**
     * The committed Parquet files of a table folder ({@code dt=.../[hour=.../]*.parquet}, hidden
     * in-progress files left out); null when the folder could not be listed (a file vanishing
     * mid-listing), which must not read as "every file is gone".
     */
    private static List<String> committedFiles(LakeRoot root, String folder) {
        try {
            return root.list(folder, 3).stream().filter(f -> f.name().endsWith(".parquet"))
                    .map(LakeRoot.LakeFile::location).sorted().toList();
        } catch (UncheckedIOException e) {
            LOG.warn("could not list {}, will retry: {}", folder, e.getMessage());
            return null;
        }
    }

    /** Gives the databases renewed credentials when the lake's have changed ({@link LakeRoot#renewCredentials}). */
    public void renewCredentials() {
        root.renewCredentials(primary);
        synchronized (files) {
            root.renewCredentials(files);
        }
    }

    private String oneString(String sql) throws SQLException {
        try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    /** Runs a query with its parameters bound, rows as column → JSON-ready value. */
    public List<Map<String, Object>> query(String sql, List<?> params) throws SQLException {
        alone.readLock().lock();
        try {
            return run(sql, params);
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("Out of Memory")) {
                throw e;
            }
        } finally {
            alone.readLock().unlock();
        }
        // Queries running side by side can together need more than the memory limit (hash tables
        // DuckDB cannot spill): run this one again once the others are done, with no other beside it.
        alone.writeLock().lock();
        try {
            return run(sql, params);
        } finally {
            alone.writeLock().unlock();
        }
    }

    private List<Map<String, Object>> run(String sql, List<?> params) throws SQLException {
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
        }
    }

    /** Runs a query over the lake's files (not its tables), as {@link #query} does. */
    public List<Map<String, Object>> queryFiles(String sql, List<?> params) throws SQLException {
        synchronized (files) {
            try (PreparedStatement statement = files.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rows(rs, Integer.MAX_VALUE);
                }
            }
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
        try {
            for (Connection c : pool) {
                c.close();
            }
            primary.close();
            if (files != null) {
                files.close();
            }
        } finally {
            if (temporary) {
                deleteTree(folder);
            }
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", folder, e.toString());
        }
    }
}
