package io.tidings.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lake on local disk as a SQL database: an in-memory DuckDB whose {@code posts_all}, {@code
 * entities_all} and {@code tombstones} are views over the Parquet files (columns {@code dt} and
 * {@code hour} last, whatever the {@link LakeLayout}), plus the views of {@link LakeSql}, among them {@code posts} and {@code
 * entities}: the live posts, without those deleted. Nothing is copied and nothing is written: each query reads the
 * files as they are, so data the job commits later shows up in the next query.
 */
public final class LocalLake implements AutoCloseable {
    private final Path root;
    private final Connection connection;

    private LocalLake(Path root, Connection connection) {
        this.root = root;
        this.connection = connection;
    }

    /** Opens the lake at {@code root} (which may not exist yet: the tables are then empty). */
    public static LocalLake open(Path root) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        LocalLake lake = new LocalLake(root.toAbsolutePath().normalize(), connection);
        try {
            // Parquet footers read once and kept (the job never rewrites a file): the views read
            // posts_all twice (the posts and the edits among them, for the newest version), and a
            // lake of thousands of small files would otherwise open each file twice per query.
            lake.execute("SET parquet_metadata_cache = true");
            lake.defineTables();
            for (String view : LakeSql.VIEWS) {
                lake.execute(LakeSql.createView(view));
            }
        } catch (SQLException | RuntimeException e) {
            lake.close();
            throw e;
        }
        return lake;
    }

    public Path root() {
        return root;
    }

    private void defineTables() throws SQLException {
        for (LakeTables.Table table : LakeTables.ALL) {
            execute(definition(root, table, hasParquetFiles(root.resolve(table.folder()))));
        }
    }

    /**
     * The statement that defines one lake table in a DuckDB database: a view over its Parquet
     * files in the lake's {@link LakeLayout} when it has some ({@code dt} and {@code hour} last;
     * a column its files lack, as files written before the column was added do, is null), else an
     * empty table of the same columns (DuckDB cannot read an empty glob). Shared with the
     * dashboard's database and SQL console.
     */
    public static String definition(Path root, LakeTables.Table table, boolean hasFiles) {
        return definition(root.toString(), hasFiles ? LakeLayout.of(root) : LakeLayout.HOUR, table, hasFiles);
    }

    /**
     * {@link #definition(Path, LakeTables.Table, boolean)} for a lake anywhere DuckDB can read:
     * {@code root} a local folder or an {@code s3://bucket/prefix} (httpfs loaded), whose layout
     * the caller read (an object store has no {@link LakeLayout#of(Path)}).
     */
    public static String definition(String root, LakeLayout layout, LakeTables.Table table, boolean hasFiles) {
        List<LakeTables.Column> all = Stream.concat(table.columns().stream(), LakeTables.PARTITION_COLUMNS.stream()).toList();
        if (hasFiles) {
            // Files written before a column was added lack it, and read_parquet's union_by_name
            // only fills a column some file has: a union by name with an empty row of every
            // column, typed, gives each one (null where the files say nothing), in table order.
            String everyColumn = all.stream()
                    .map(c -> "CAST(NULL AS " + c.duckDbType() + ") AS " + c.name())
                    .collect(Collectors.joining(", "));
            return "CREATE VIEW " + table.name() + " AS SELECT " + all.stream().map(LakeTables.Column::name)
                    .collect(Collectors.joining(", ")) + " FROM ("
                    + layout.selectFrom(table, quote(layout.glob(root + "/" + table.folder())))
                    + " UNION ALL BY NAME SELECT " + everyColumn + " WHERE false)";
        }
        String columns = all.stream()
                .map(c -> c.name() + " " + c.duckDbType())
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + table.name() + " (" + columns + ")";
    }

    private static boolean hasParquetFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.find(folder, 3,
                (p, attrs) -> attrs.isRegularFile() && p.getFileName().toString().endsWith(".parquet")
                        && !p.getFileName().toString().startsWith("."))) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs one statement and returns at most {@code maxRows} rows of its result. */
    public QueryResult query(String sql, int maxRows) throws SQLException {
        // One statement per query: DuckDB leaves a statement that threw unusable.
        try (Statement statement = connection.createStatement()) {
            boolean hasRows = statement.execute(sql);
            if (!hasRows) {
                return new QueryResult(List.of(), List.of(), false);
            }
            try (ResultSet rs = statement.getResultSet()) {
                return QueryResult.read(rs, maxRows, LocalLake::plain);
            }
        }
    }

    /** JDBC values as plain Java values: arrays become lists, timestamps stay as they are. */
    private static Object plain(Object value) throws SQLException {
        if (value instanceof Array array) {
            Object[] items = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(plain(item));
            }
            return list;
        }
        if (value instanceof Object[] items) {
            return Arrays.asList(items);
        }
        return value;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
