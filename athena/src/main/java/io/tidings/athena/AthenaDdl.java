package io.tidings.athena;

import java.util.stream.Collectors;

/**
 * {@code CREATE EXTERNAL TABLE} statements for the lake on S3, from {@link LakeTables}: Parquet,
 * partitioned as the lake's {@link LakeLayout} says ({@code dt} and {@code hour}, or {@code dt}),
 * with Athena partition projection so new partitions
 * are queryable the moment the job commits them, with no {@code MSCK REPAIR} or crawler. Engines
 * that do not project (Spark, Trino on Hive, Redshift Spectrum) need partitions registered in
 * Glue instead.
 */
public final class AthenaDdl {
    private AthenaDdl() {}

    /**
     * @param database Glue database, e.g. {@code tidings}
     * @param lakeUri the lake root, e.g. {@code s3://my-bucket/tidings} (no trailing slash needed)
     * @param firstDay the first {@code dt} the projection covers, {@code yyyy-MM-dd}
     */
    public static String createTable(LakeTables.Table table, String database, String lakeUri, String firstDay) {
        return createTable(table, database, lakeUri, firstDay, LakeLayout.HOUR);
    }

    /** As {@link #createTable(LakeTables.Table, String, String, String)}, for a lake of the given layout. */
    public static String createTable(LakeTables.Table table, String database, String lakeUri, String firstDay, LakeLayout layout) {
        String root = lakeUri.endsWith("/") ? lakeUri : lakeUri + "/";
        String location = root + table.folder() + "/";
        String columns = table.columns().stream()
                .map(c -> "  `" + c.name() + "` " + c.hiveType())
                .collect(Collectors.joining(",\n"));
        return "CREATE EXTERNAL TABLE IF NOT EXISTS `" + database + "`.`" + table.name() + "` (\n" + columns + "\n)\n"
                + "PARTITIONED BY (" + layout.partitionColumns().stream().map(c -> "`" + c.name() + "` " + c.hiveType())
                        .collect(Collectors.joining(", ")) + ")\n"
                + "STORED AS PARQUET\n"
                + "LOCATION '" + location + "'\n"
                + "TBLPROPERTIES (\n"
                + "  'projection.enabled' = 'true',\n"
                + "  'projection.dt.type' = 'date',\n"
                + "  'projection.dt.format' = 'yyyy-MM-dd',\n"
                + "  'projection.dt.range' = '" + firstDay + ",NOW',\n"
                + "  'projection.dt.interval' = '1',\n"
                + "  'projection.dt.interval.unit' = 'DAYS',\n"
                + (layout == LakeLayout.HOUR
                        ? "  'projection.hour.type' = 'integer',\n"
                                + "  'projection.hour.range' = '0,23',\n"
                                + "  'projection.hour.digits' = '2',\n"
                                + "  'storage.location.template' = '" + location + "dt=${dt}/hour=${hour}',\n"
                        : "  'storage.location.template' = '" + location + "dt=${dt}',\n")
                + "  'parquet.compression' = 'ZSTD'\n"
                + ")";
    }
}
