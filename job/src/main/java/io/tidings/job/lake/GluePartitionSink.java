package io.tidings.job.lake;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import io.tidings.glue.GlueClients;
import io.tidings.glue.GlueLakeCatalog;
import io.tidings.glue.GlueTableInputs;
import io.tidings.glue.LakePartition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GlueException;

/**
 * Registers the lake's partitions in the AWS Glue Data Catalog once their files are committed, for
 * the engines that read Glue's partition list rather than Athena's partition projection (Spark on
 * EMR or Glue, Redshift Spectrum, Trino on Glue).
 *
 * <p>It is a two-phase sink beside the Parquet sinks: the writer gathers the partitions of the rows
 * that reached it before a checkpoint barrier, which are the rows the Parquet sinks commit with that
 * checkpoint; Flink keeps them in the checkpoint and hands them to the committer once the
 * checkpoint is complete, so a partition is registered after its first files are committed and
 * never lost to a failure in between (a restored committer gets them again). Registration is
 * idempotent (partitions that exist are left alone) and batched (BatchCreatePartition, 100 a
 * call), each partition in the table whose files are in it: {@code posts_all} by the posts' time,
 * {@code entities_all} for posts with entities, {@code tombstones} by the deletions' time. Glue's
 * own faults (throttling, 5xx, an unreachable or hung endpoint) are tried again a few times, then
 * fail the job, whose restart hands the same partitions over again; a catalog without the database
 * or the lake's tables stops the job at once, without restarts, with what to run.
 */
public final class GluePartitionSink implements Sink<GluePartitionSink.TablePartition>, SupportsCommitter<GluePartitionSink.Partitions> {
    private static final long serialVersionUID = 1L;

    /**
     * Partitions a writer remembers as sent, so the hour being written is not sent again with each
     * checkpoint; after a restart they are sent once more (harmless: registration is idempotent).
     */
    static final int REMEMBERED = 10_000;

    private final String database;
    private final String lakeUri;
    private final LakeLayout layout;
    private final String region;
    private final String endpoint;

    /**
     * @param lakeUri the lake root as the job writes it; {@code s3a://} is registered as {@code s3://},
     *     the scheme Athena and Glue readers expect
     */
    public GluePartitionSink(String database, String lakeUri, LakeLayout layout, String region, String endpoint) {
        this.database = database;
        this.lakeUri = GlueTableInputs.catalogUri(lakeUri);
        this.layout = layout;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** A partition of one lake table ({@link LakeTables#ALL}: {@code posts_all}, {@code entities_all}, {@code tombstones}). */
    public record TablePartition(String table, LakePartition partition) {
        public TablePartition {
            if (LakeTables.ALL.stream().noneMatch(t -> t.name().equals(table))) {
                throw new IllegalArgumentException("no lake table " + table);
            }
        }

        LakeTables.Table lakeTable() {
            return LakeTables.ALL.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow();
        }
    }

    @Override
    public SinkWriter<TablePartition> createWriter(WriterInitContext context) {
        return new PartitionWriter();
    }

    @Override
    public Committer<Partitions> createCommitter(CommitterInitContext context) {
        return new PartitionCommitter(this);
    }

    @Override
    public SimpleVersionedSerializer<Partitions> getCommittableSerializer() {
        return new PartitionsSerializer();
    }

    GlueClient client() {
        return GlueClients.create(region, endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint));
    }

    /** The partitions one writer saw before one checkpoint barrier. */
    public record Partitions(List<TablePartition> partitions) {}

    /** Gathers the partitions of a checkpoint's rows, each partition once. */
    static final class PartitionWriter implements CommittingSinkWriter<TablePartition, Partitions> {
        private final Set<TablePartition> sinceBarrier = new LinkedHashSet<>();
        private final Map<TablePartition, Boolean> sent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TablePartition, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        };

        @Override
        public void write(TablePartition partition, Context context) {
            if (sent.get(partition) == null) {
                sinceBarrier.add(partition);
            }
        }

        @Override
        public Collection<Partitions> prepareCommit() {
            if (sinceBarrier.isEmpty()) {
                return List.of();
            }
            List<TablePartition> partitions = List.copyOf(sinceBarrier);
            partitions.forEach(p -> sent.put(p, Boolean.TRUE));
            sinceBarrier.clear();
            return List.of(new Partitions(partitions));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }

    /** Registers the partitions of completed checkpoints, all of them in one batched call per table. */
    static final class PartitionCommitter implements Committer<Partitions> {
        private static final Logger LOG = LoggerFactory.getLogger(PartitionCommitter.class);
        /** Tries of one registration, 1, 2, 4, 8 s apart: about a quarter of a minute of Glue trouble is ridden out. */
        static final int ATTEMPTS = 5;
        static final long FIRST_RETRY_MILLIS = 1_000;
        private final GluePartitionSink sink;
        private GlueClient glue;

        PartitionCommitter(GluePartitionSink sink) {
            this.sink = sink;
        }

        @Override
        public void commit(Collection<CommitRequest<Partitions>> requests) throws InterruptedException {
            if (requests.isEmpty()) {
                return;
            }
            Map<LakeTables.Table, Set<LakePartition>> byTable = new LinkedHashMap<>();
            requests.forEach(request -> request.getCommittable().partitions().forEach(p ->
                    byTable.computeIfAbsent(p.lakeTable(), t -> new LinkedHashSet<>()).add(p.partition())));
            int count = byTable.values().stream().mapToInt(Set::size).sum();
            for (int attempt = 1; ; attempt++) {
                try {
                    if (glue == null) {
                        glue = sink.client();
                    }
                    GlueLakeCatalog catalog = new GlueLakeCatalog(glue, sink.database, sink.lakeUri, sink.layout);
                    int created = 0;
                    for (Map.Entry<LakeTables.Table, Set<LakePartition>> table : byTable.entrySet()) {
                        created += catalog.registerPartitions(table.getKey(), new ArrayList<>(table.getValue()));
                    }
                    LOG.info("Glue {}: {} partitions registered ({} new)", sink.database, count, created);
                    return;
                } catch (GlueException fault) {
                    if (isMissingCatalog(fault)) {
                        // No retry or restart can create them: the job stops at once and says what to run.
                        GlueCatalogMissingException reason = new GlueCatalogMissingException(sink.database, sink.lakeUri,
                                fault.awsErrorDetails().errorMessage());
                        requests.forEach(request -> request.signalFailedWithUnknownReason(reason));
                        return;
                    }
                    if (!retryAfter(attempt, count, fault, requests)) {
                        return;
                    }
                } catch (SdkException | IllegalStateException fault) {
                    if (!retryAfter(attempt, count, fault, requests)) {
                        return;
                    }
                }
            }
        }

        /** Glue's answer when the database or a table does not exist. */
        static boolean isMissingCatalog(GlueException fault) {
            return fault instanceof EntityNotFoundException
                    || (fault.awsErrorDetails() != null && "EntityNotFoundException".equals(fault.awsErrorDetails().errorCode()));
        }

        /**
         * Throttled, unreachable, hung, a 5xx, a partition refused: a few tries a while apart, then the
         * job fails and restarts from its checkpoint, which hands these partitions to the committer again.
         * @return whether to try again
         */
        private boolean retryAfter(int attempt, int count, Exception fault, Collection<CommitRequest<Partitions>> requests)
                throws InterruptedException {
            if (attempt >= ATTEMPTS) {
                IllegalStateException reason = new IllegalStateException("Glue " + sink.database + ": " + count
                        + " partitions not registered after " + ATTEMPTS + " tries: " + fault.getMessage(), fault);
                requests.forEach(request -> request.signalFailedWithUnknownReason(reason));
                return false;
            }
            LOG.warn("Glue {}: {} partitions not registered (try {} of {}), trying again: {}", sink.database, count, attempt,
                    ATTEMPTS, fault.toString());
            Thread.sleep(FIRST_RETRY_MILLIS << (attempt - 1));
            return true;
        }

        @Override
        public void close() {
            if (glue != null) {
                glue.close();
            }
        }
    }

    /** Version 1: a count, then each partition as its table's name, its day and hour (-1: a day partition). */
    static final class PartitionsSerializer implements SimpleVersionedSerializer<Partitions> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Partitions partitions) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(partitions.partitions().size());
                for (TablePartition p : partitions.partitions()) {
                    out.writeUTF(p.table());
                    out.writeLong(p.partition().dt().toEpochDay());
                    out.writeByte(p.partition().hour() == null ? -1 : p.partition().hour());
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Partitions deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown Glue partition list version " + version + " (this job reads version 1)");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int count = in.readInt();
                List<TablePartition> partitions = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String table = in.readUTF();
                    LocalDate day = LocalDate.ofEpochDay(in.readLong());
                    byte hour = in.readByte();
                    partitions.add(new TablePartition(table, new LakePartition(day, hour < 0 ? null : (int) hour)));
                }
                return new Partitions(partitions);
            }
        }
    }
}
