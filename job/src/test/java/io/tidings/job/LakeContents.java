package io.tidings.job;

import io.tidings.athena.LakeLayout;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a lake the way an outside user would: plain DuckDB {@code read_parquet} over the Hive
 * folders, no tidings code in between.
 */
final class LakeContents {
    private LakeContents() {}

    static List<List<Object>> rows(Path lake, String table, String select) throws SQLException {
        return rows(lake, table, select, LakeLayout.HOUR);
    }

    static List<List<Object>> rows(Path lake, String table, String select, LakeLayout layout) throws SQLException {
        String glob = layout.glob(lake.toAbsolutePath().resolve(table));
        String sql = select.replace("{" + table + "}", "read_parquet('" + glob + "', hive_partitioning = 1)");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    static long count(Path lake, String table, String select) throws SQLException {
        return ((Number) rows(lake, table, select).get(0).get(0)).longValue();
    }

    static List<String> postIds(Path lake) throws SQLException {
        return postIdsIn(lake, LakeLayout.HOUR);
    }

    static List<String> postIdsIn(Path lake, LakeLayout layout) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (List<Object> row : rows(lake, "posts", "SELECT post_id FROM {posts}", layout)) {
            ids.add((String) row.get(0));
        }
        return ids;
    }

    /** Post ids of the committed tombstones; none while no tombstone file is committed. */
    static List<String> tombstoneIds(Path lake) throws SQLException {
        if (partitionFoldersUnchecked(lake.resolve("tombstones")).isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (List<Object> row : rows(lake, "tombstones", "SELECT post_id FROM {tombstones}")) {
            ids.add((String) row.get(0));
        }
        return ids;
    }

    private static java.util.Set<String> partitionFoldersUnchecked(Path table) {
        try {
            return partitionFolders(table);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Committed posts in the lake, 0 while none is committed or a file is being read mid-write (for polling a run). */
    static int committedPostCount(Path lake) {
        try {
            return postIds(lake).size();
        } catch (SQLException noCommittedFileYet) {
            return 0;
        }
    }

    /** The partition folders (relative to the table's folder) holding committed Parquet files; none for a missing table. */
    static java.util.Set<String> partitionFolders(Path table) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(table)) {
            return java.util.Set.of();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(table)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
                    .map(f -> table.relativize(f.getParent()).toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }
}
