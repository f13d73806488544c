package io.tidings.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a lake's tables are partitioned, chosen when the lake is first written and kept in the
 * file {@value #MARKER} at its root (a lake without one is by hour, as every lake was before):
 *
 * <ul>
 *   <li>{@link #HOUR}: {@code dt=YYYY-MM-DD/hour=HH/}, partition columns {@code dt} and {@code
 *       hour}. For streams: a live topic fills the current hour, and queries over recent hours
 *       read only those.</li>
 *   <li>{@link #DAY}: {@code dt=YYYY-MM-DD/}, partition column {@code dt}. For archives that span
 *       months or years: posts spread thinly over many hours would make at least one file per
 *       hour (the old pipeline's one-object-per-tweet problem), a day's partition gathers them
 *       into about one file per day.</li>
 * </ul>
 *
 * <p>Local SQL (DuckDB) sees the same columns either way: in a day lake, {@code hour} is the UTC
 * hour of the table's partition time, computed as the files are read, so the views and the
 * dashboard do not care. Athena's tables have the layout's partition columns only.
 */
public enum LakeLayout {
    HOUR("'dt='yyyy-MM-dd'/hour='HH", LakeTables.PARTITION_COLUMNS),
    /** {@code dt} alone: the first of {@link LakeTables#PARTITION_COLUMNS}. */
    DAY("'dt='yyyy-MM-dd", LakeTables.PARTITION_COLUMNS.subList(0, 1));

    /** The file at the lake's root that records its layout. */
    public static final String MARKER = "tidings-lake.json";
    private static final Pattern MARKER_PARTITION = Pattern.compile("\"partition\"\\s*:\\s*\"([a-z]+)\"");

    private final String folderPattern;
    private final List<LakeTables.Column> partitionColumns;

    LakeLayout(String folderPattern, List<LakeTables.Column> partitionColumns) {
        this.folderPattern = folderPattern;
        this.partitionColumns = partitionColumns;
    }

    /** {@code hour} or {@code day}, as the {@code --partition} option and the marker spell it. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code hour} or {@code day}; anything else is refused with the choices. */
    public static LakeLayout parse(String name) {
        for (LakeLayout layout : values()) {
            if (layout.optionName().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return layout;
            }
        }
        throw new IllegalArgumentException("partition must be hour or day, got '" + name + "'");
    }

    /** A {@link java.time.format.DateTimeFormatter} pattern for a row's folder under its table, in UTC. */
    public String folderPattern() {
        return folderPattern;
    }

    /** The partition columns in the folders (and in Athena's tables). */
    public List<LakeTables.Column> partitionColumns() {
        return partitionColumns;
    }

    /** The marker's content. */
    public String markerJson() {
        return "{\"format\": 1, \"partition\": \"" + optionName() + "\"}\n";
    }

    /** The layout a marker's content names. */
    public static LakeLayout fromMarker(String json) {
        Matcher m = MARKER_PARTITION.matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(MARKER + " names no partition: " + json.strip());
        }
        return parse(m.group(1));
    }

    /** The layout of the local lake at {@code root}: its marker's, else {@link #HOUR}. */
    public static LakeLayout of(Path root) {
        Path marker = root.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return HOUR;
        }
        try {
            return fromMarker(Files.readString(marker, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        }
    }

    /** The glob of a table's committed Parquet files under {@code tableFolder}. */
    public String glob(Path tableFolder) {
        return glob(tableFolder.toString());
    }

    /** {@link #glob(Path)} of a folder given as text: a local path or an {@code s3://} prefix (no trailing slash). */
    public String glob(String tableFolder) {
        return tableFolder + (this == HOUR ? "/*/*" : "/*") + "/*.parquet";
    }

    /**
     * A DuckDB {@code SELECT} of a table's rows from {@code files} (a quoted glob or list), with
     * {@code dt} and {@code hour} last whatever the layout.
     */
    public String selectFrom(LakeTables.Table table, String files) {
        if (this == HOUR) {
            return "SELECT * FROM read_parquet(" + files + ", hive_partitioning = true,"
                    + " hive_types = {'dt': DATE, 'hour': INTEGER}, union_by_name = true)";
        }
        return "SELECT * EXCLUDE (dt), dt, CAST(hour(" + table.partitionTime() + ") AS INTEGER) AS hour FROM read_parquet("
                + files + ", hive_partitioning = true, hive_types = {'dt': DATE}, union_by_name = true)";
    }
}
