package io.tidings.glue;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LakeTables;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * The lake in the Glue Data Catalog: the database, the tables {@code posts_all}, {@code
 * entities_all} and {@code tombstones} (created, or brought up to date when they exist), the live
 * views {@code posts} and {@code entities} that hide deleted posts (Athena views, stored as Athena
 * stores them), and hour partitions for engines that do not use Athena's partition projection
 * (Spark, Trino on Glue, Redshift Spectrum). Every call is idempotent.
 */
public final class GlueLakeCatalog {
    /** BatchCreatePartition takes at most this many partitions per call. */
    static final int BATCH = 100;

    private final GlueClient glue;
    private final String database;
    private final String lakeUri;
    private final LakeLayout layout;

    /**
     * @param database Glue database name, e.g. {@code tidings}
     * @param lakeUri the lake root, e.g. {@code s3://bucket/lake}
     */
    public GlueLakeCatalog(GlueClient glue, String database, String lakeUri) {
        this(glue, database, lakeUri, LakeLayout.HOUR);
    }

    /** A catalog of a lake partitioned as {@code layout} says. */
    public GlueLakeCatalog(GlueClient glue, String database, String lakeUri, LakeLayout layout) {
        this.glue = glue;
        this.database = database;
        this.lakeUri = lakeUri;
        this.layout = layout;
    }

    /** Creates the database unless it exists. @return whether it was created */
    public boolean ensureDatabase() {
        try {
            glue.createDatabase(r -> r.databaseInput(DatabaseInput.builder().name(database)
                    .description("tidings lake").locationUri(lakeUri.endsWith("/") ? lakeUri : lakeUri + "/").build()));
            return true;
        } catch (AlreadyExistsException exists) {
            return false;
        }
    }

    /**
     * Creates the tables of {@link LakeTables#ALL} and the live views {@code posts} and {@code
     * entities}, or updates them to the current definition when they exist. A {@code posts} or
     * {@code entities} that is still an external table (as before tombstones) is replaced by the
     * view; the files stay where they are, read by {@code posts_all}/{@code entities_all}.
     * @param firstDay the first {@code dt} partition projection covers, {@code yyyy-MM-dd}
     */
    public void ensureTables(String firstDay) {
        for (LakeTables.Table table : LakeTables.ALL) {
            TableInput input = GlueTableInputs.table(table, lakeUri, firstDay, layout);
            try {
                glue.createTable(r -> r.databaseName(database).tableInput(input));
            } catch (AlreadyExistsException exists) {
                glue.updateTable(r -> r.databaseName(database).tableInput(input));
            }
        }
        for (String view : LakeSql.LIVE_VIEWS) {
            TableInput input = GlueTableInputs.liveView(view, database, layout);
            String type = tableType(view);
            if (type != null && !"VIRTUAL_VIEW".equals(type)) {
                glue.deleteTable(r -> r.databaseName(database).name(view));
                type = null;
            }
            if (type == null) {
                glue.createTable(r -> r.databaseName(database).tableInput(input));
            } else {
                glue.updateTable(r -> r.databaseName(database).tableInput(input));
            }
        }
    }

    /** The Glue table type of {@code name}, or null when there is no such table. */
    private String tableType(String name) {
        try {
            String type = glue.getTable(r -> r.databaseName(database).name(name)).table().tableType();
            return type == null ? "" : type;
        } catch (EntityNotFoundException missing) {
            return null;
        }
    }

    /**
     * Registers partitions of every table (of this lake's layout); partitions that exist already
     * are left as they are.
     * @return how many were newly created
     */
    public int registerPartitions(List<LakePartition> partitions) {
        int created = 0;
        for (LakeTables.Table table : LakeTables.ALL) {
            created += registerPartitions(table, partitions);
        }
        return created;
    }

    /**
     * Registers partitions of one table, {@value #BATCH} a call; partitions that exist already are
     * left as they are.
     * @return how many were newly created
     */
    public int registerPartitions(LakeTables.Table table, List<LakePartition> partitions) {
        partitions.stream().filter(p -> p.layout() != layout).findFirst().ifPresent(p -> {
            throw new IllegalArgumentException("partition " + p.folder() + " is not of a lake partitioned by " + layout.optionName());
        });
        int created = 0;
        for (int from = 0; from < partitions.size(); from += BATCH) {
            List<PartitionInput> batch = new ArrayList<>();
            for (LakePartition p : partitions.subList(from, Math.min(partitions.size(), from + BATCH))) {
                batch.add(GlueTableInputs.partition(table, lakeUri, p));
            }
            BatchCreatePartitionResponse response = glue.batchCreatePartition(r -> r.databaseName(database)
                    .tableName(table.name()).partitionInputList(batch));
            List<PartitionError> failed = response.errors().stream()
                    .filter(e -> e.errorDetail() == null || !"AlreadyExistsException".equals(e.errorDetail().errorCode()))
                    .toList();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("Glue refused partitions of " + table.name() + ": " + failed);
            }
            created += batch.size() - response.errors().size();
        }
        return created;
    }
}
