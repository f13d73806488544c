package io.tidings.glue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.athena.AthenaDdl;
import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LakeTables;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * Glue table and partition definitions of the lake, from the one schema ({@link LakeTables}):
 * external Parquet tables partitioned as the lake's {@link LakeLayout} says ({@code dt date, hour
 * int}, or {@code dt date}), with exactly the table
 * properties of the Athena DDL ({@link AthenaDdl}): partition projection, location template,
 * compression. They are read out of that DDL so the two cannot drift apart.
 */
public final class GlueTableInputs {
    private GlueTableInputs() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A column of a Presto view definition, written {@code {"name": ..., "type": ...}} in this order. */
    private record ViewColumn(String name, String type) {}

    public static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

    private static final Pattern PROPERTY = Pattern.compile("'([^']+)'\\s*=\\s*'([^']*)'");

    /**
     * The lake's URI as Glue and Athena name it: {@code s3://}. The job names the same place {@code s3a://}
     * on Managed Flink (to pick Flink's Hadoop S3 file system); Athena reads no {@code s3a://} location.
     */
    public static String catalogUri(String lakeUri) {
        return lakeUri.matches("(?i)s3[an]://.*") ? "s3://" + lakeUri.substring(lakeUri.indexOf("://") + 3) : lakeUri;
    }

    /** The table's location: {@code <lake>/<folder>/} ({@link #catalogUri}). */
    public static String location(LakeTables.Table table, String lakeUri) {
        String root = catalogUri(lakeUri);
        return (root.endsWith("/") ? root : root + "/") + table.folder() + "/";
    }

    /** The table properties of {@link AthenaDdl#createTable} (projection, location template, compression). */
    public static Map<String, String> projectionProperties(LakeTables.Table table, String lakeUri, String firstDay,
            LakeLayout layout) {
        String ddl = AthenaDdl.createTable(table, "db", catalogUri(lakeUri), firstDay, layout);
        int at = ddl.indexOf("TBLPROPERTIES");
        if (at < 0) {
            throw new IllegalStateException("no TBLPROPERTIES in the Athena DDL of " + table.name());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher m = PROPERTY.matcher(ddl.substring(at));
        while (m.find()) {
            properties.put(m.group(1), m.group(2));
        }
        return properties;
    }

    public static TableInput table(LakeTables.Table table, String lakeUri, String firstDay, LakeLayout layout) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("EXTERNAL", "TRUE");
        parameters.put("classification", "parquet");
        parameters.putAll(projectionProperties(table, lakeUri, firstDay, layout));
        parameters.put("tidings.partition", layout.optionName());
        return TableInput.builder()
                .name(table.name())
                .description("tidings lake: " + table.name() + " (Parquet, partitioned by UTC "
                        + (layout == LakeLayout.HOUR ? "dt/hour" : "dt") + " of " + table.partitionTime() + ")")
                .tableType("EXTERNAL_TABLE")
                .parameters(parameters)
                .partitionKeys(columns(layout.partitionColumns()))
                .storageDescriptor(storage(columns(table.columns()), location(table, lakeUri)))
                .build();
    }

    /**
     * A live view of {@link LakeSql#LIVE_VIEWS} ({@code posts}, {@code entities}) as Athena itself
     * stores a view in Glue: a {@code VIRTUAL_VIEW} whose original text is {@code /* Presto View:
     * <base64 JSON> *}{@code /} holding the SQL of {@link LakeSql#view} and the Trino column types.
     * Its columns are the table's plus the layout's partition columns.
     */
    public static TableInput liveView(String view, String database, LakeLayout layout) {
        LakeTables.Table table = LakeTables.liveViewOf(view);
        List<LakeTables.Column> columns = Stream.concat(table.columns().stream(), layout.partitionColumns().stream()).toList();
        Map<String, Object> prestoView = new LinkedHashMap<>();
        prestoView.put("originalSql", LakeSql.view(view).sql());
        prestoView.put("catalog", "awsdatacatalog");
        prestoView.put("schema", database);
        prestoView.put("columns", columns.stream().map(c -> new ViewColumn(c.name(), c.trinoType())).toList());
        prestoView.put("owner", "tidings");
        prestoView.put("runAsInvoker", false);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(prestoView);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the view definition of " + view, e);
        }
        return TableInput.builder()
                .name(view)
                .description("tidings lake: " + LakeSql.view(view).description())
                .tableType("VIRTUAL_VIEW")
                .parameters(Map.of("presto_view", "true", "comment", "Presto View"))
                .viewOriginalText("/* Presto View: "
                        + Base64.getEncoder().encodeToString(json) + " */")
                .viewExpandedText("/* Presto View */")
                .storageDescriptor(StorageDescriptor.builder().columns(columns(columns))
                        .serdeInfo(SerDeInfo.builder().build()).build())
                .build();
    }

    public static PartitionInput partition(LakeTables.Table table, String lakeUri, LakePartition partition) {
        return PartitionInput.builder()
                .values(partition.values())
                .storageDescriptor(storage(columns(table.columns()), location(table, lakeUri) + partition.folder()))
                .build();
    }

    private static StorageDescriptor storage(List<Column> columns, String location) {
        return StorageDescriptor.builder()
                .columns(columns)
                .location(location)
                .inputFormat(INPUT_FORMAT)
                .outputFormat(OUTPUT_FORMAT)
                .compressed(true)
                .serdeInfo(SerDeInfo.builder().serializationLibrary(SERDE)
                        .parameters(Map.of("serialization.format", "1")).build())
                .build();
    }

    private static List<Column> columns(List<LakeTables.Column> columns) {
        return columns.stream().map(c -> Column.builder().name(c.name()).type(c.hiveType()).build()).toList();
    }
}
