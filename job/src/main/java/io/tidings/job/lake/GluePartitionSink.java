package io.tidings.job.lake;

import io.tidings.athena.LakeLayout;
import io.tidings.glue.GlueClients;
import io.tidings.glue.GlueLakeCatalog;
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
 * idempotent (partitions that exist are left alone), batched (BatchCreatePartition, 100 a call)
 * and, as every partition of every table of the lake is registered at once, one partition folder
 * per table a call. Glue's own faults (throttling, 5xx, an unreachable endpoint) are tried again a
 * few times, then fail the job, whose restart hands the same partitions over again; a catalog
 * without the lake's tables stops the job with what to run.
 */
public final class GluePartitionSink implements Sink<LakePartition>, SupportsCommitter<GluePartitionSink.Partitions> {
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
        this.lakeUri = lakeUri.startsWith("s3a://") ? "s3://" + lakeUri.substring("s3a://".length()) : lakeUri;
        this.layout = layout;
        this.region = region;
        this.endpoint = endpoint;
    }

    @Override
    public SinkWriter<LakePartition> createWriter(WriterInitContext context) {
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
    public record Partitions(List<LakePartition> partitions) {}

    /** Gathers the partitions of a checkpoint's rows, each partition once. */
    static final class PartitionWriter implements CommittingSinkWriter<LakePartition, Partitions> {
        private final Set<LakePartition> sinceBarrier = new LinkedHashSet<>();
        private final Map<LakePartition, Boolean> sent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<LakePartition, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        };

        @Override
        public void write(LakePartition partition, Context context) {
            if (sent.get(partition) == null) {
                sinceBarrier.add(partition);
            }
        }

        @Override
        public Collection<Partitions> prepareCommit() {
            if (sinceBarrier.isEmpty()) {
                return List.of();
            }
            List<LakePartition> partitions = List.copyOf(sinceBarrier);
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
            Set<LakePartition> partitions = new LinkedHashSet<>();
            requests.forEach(request -> partitions.addAll(request.getCommittable().partitions()));
            for (int attempt = 1; ; attempt++) {
                try {
                    if (glue == null) {
                        glue = sink.client();
                    }
                    int created = new GlueLakeCatalog(glue, sink.database, sink.lakeUri, sink.layout)
                            .registerPartitions(new ArrayList<>(partitions));
                    LOG.info("Glue {}: {} partitions registered ({} new)", sink.database, partitions.size(), created);
                    return;
                } catch (EntityNotFoundException missing) {
                    // Flink fails the job on an unknown reason (a known one would drop the partitions silently).
                    IllegalStateException reason = new IllegalStateException("the Glue database " + sink.database
                            + " has no lake tables to register partitions in (" + missing.awsErrorDetails().errorMessage()
                            + "): create them with `tidings glue create-tables --database " + sink.database + " --lake "
                            + sink.lakeUri + "`", missing);
                    requests.forEach(request -> request.signalFailedWithUnknownReason(reason));
                    return;
                } catch (SdkException | IllegalStateException glueFault) {
                    // Throttled, unreachable, a 5xx, a partition refused: a few tries a while apart, then the job
                    // fails and restarts from its checkpoint, which hands these partitions to the committer again.
                    if (attempt >= ATTEMPTS) {
                        IllegalStateException reason = new IllegalStateException("Glue " + sink.database + ": "
                                + partitions.size() + " partitions not registered after " + ATTEMPTS + " tries", glueFault);
                        requests.forEach(request -> request.signalFailedWithUnknownReason(reason));
                        return;
                    }
                    LOG.warn("Glue {}: {} partitions not registered (try {} of {}), trying again: {}", sink.database,
                            partitions.size(), attempt, ATTEMPTS, glueFault.toString());
                    Thread.sleep(FIRST_RETRY_MILLIS << (attempt - 1));
                }
            }
        }

        @Override
        public void close() {
            if (glue != null) {
                glue.close();
            }
        }
    }

    /** Version 1: a count, then each partition as its day and hour (-1: a day partition). */
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
                for (LakePartition p : partitions.partitions()) {
                    out.writeLong(p.dt().toEpochDay());
                    out.writeByte(p.hour() == null ? -1 : p.hour());
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
                List<LakePartition> partitions = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    LocalDate day = LocalDate.ofEpochDay(in.readLong());
                    byte hour = in.readByte();
                    partitions.add(new LakePartition(day, hour < 0 ? null : (int) hour));
                }
                return new Partitions(partitions);
            }
        }
    }
}
