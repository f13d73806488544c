package io.tidings.glue;

import io.tidings.athena.LakeTables;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * The lake in the Glue Data Catalog: the database, the {@code posts} and {@code entities} tables
 * (created, or brought up to date when they exist), and hour partitions for engines that do not use
 * Athena's partition projection (Spark, Trino on Glue, Redshift Spectrum). Every call is idempotent.
 */
public final class GlueLakeCatalog {
    /** BatchCreatePartition takes at most this many partitions per call. */
    static final int BATCH = 100;

    private final GlueClient glue;
    private final String database;
    private final String lakeUri;

    /**
     * @param database Glue database name, e.g. {@code tidings}
     * @param lakeUri the lake root, e.g. {@code s3://bucket/lake}
     */
    public GlueLakeCatalog(GlueClient glue, String database, String lakeUri) {
        this.glue = glue;
        this.database = database;
        this.lakeUri = lakeUri;
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
     * Creates {@code posts} and {@code entities}, or updates them to the current definition when they
     * exist. @param firstDay the first {@code dt} partition projection covers, {@code yyyy-MM-dd}
     */
    public void ensureTables(String firstDay) {
        for (LakeTables.Table table : LakeTables.ALL) {
            TableInput input = GlueTableInputs.table(table, lakeUri, firstDay);
            try {
                glue.createTable(r -> r.databaseName(database).tableInput(input));
            } catch (AlreadyExistsException exists) {
                glue.updateTable(r -> r.databaseName(database).tableInput(input));
            }
        }
    }

    /**
     * Registers hour partitions of both tables; partitions that exist already are left as they are.
     * @return how many were newly created
     */
    public int registerPartitions(List<LakePartition> partitions) {
        int created = 0;
        for (LakeTables.Table table : LakeTables.ALL) {
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
        }
        return created;
    }
}
