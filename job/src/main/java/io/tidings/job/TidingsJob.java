package io.tidings.job;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import io.tidings.job.cli.ClusterArguments;
import io.tidings.job.lake.BoundedPartitionsRollingPolicy;
import io.tidings.glue.LakePartition;
import io.tidings.job.lake.DeadLetterEncoder;
import io.tidings.job.lake.GluePartitionSink;
import io.tidings.job.lake.GluePartitionSink.TablePartition;
import io.tidings.job.lake.LakeLayoutMarker;
import io.tidings.job.lake.LakeRows;
import io.tidings.job.lake.LakeSchema;
import io.tidings.job.lake.ParquetRowWriters;
import io.tidings.job.lake.PostRowFunction;
import io.tidings.job.lake.TimePartitionAssigner;
import io.tidings.job.source.JsonLinesFormat;
import io.tidings.operators.dedup.DeduplicateByPostId;
import io.tidings.operators.normalize.NormalizeFunction;
import io.tidings.operators.enrich.EnrichPostsFunction;
import io.tidings.operators.enrich.ModelEnricherFactory;
import io.tidings.records.DeadLetter;
import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import io.tidings.records.Tombstone;
import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.mastodon.source.MastodonSource;
import io.tidings.source.x.source.XStreamSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;

/**
 * The tidings job, step by step as in {@code ../shared/DESIGN.md}:
 *
 * <pre>
 * files | X | Bluesky | Mastodon → normalize (+ dead letters) → de-duplicate → enrich (batched models)
 *                        → posts + entities as partitioned Parquet, dead letters as JSON lines
 *            ↘ deletions → tombstones as partitioned Parquet (the lake's posts/entities views hide them)
 * </pre>
 *
 * Every operator has a stable uid so a run can resume from the checkpoints of an earlier one.
 */
public final class TidingsJob {
    private TidingsJob() {}

    /** Lake sub-folders. */
    public static final String POSTS = LakeTables.POSTS.folder();
    public static final String ENTITIES = LakeTables.ENTITIES.folder();
    public static final String TOMBSTONES = LakeTables.TOMBSTONES.folder();
    public static final String DEAD_LETTERS = "_deadletter";

    /** A Parquet part file closes at this size even between checkpoints. */
    static final long MAX_PART_BYTES = 256L * 1024 * 1024;
    /** A partition of a file-only job that got nothing for this long closes its file. */
    static final Duration FILES_QUIET_AFTER = Duration.ofSeconds(5);
    /** How often the sinks look at their open part files (to close quiet ones). */
    static final long BUCKET_CHECK_MILLIS = 1_000;

    /** Adds the job to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings) {
        build(env, settings, UnaryOperator.identity());
    }

    /**
     * Adds the job to {@code env}; {@code beforeEnrich} may insert a step between de-duplication
     * and enrichment (tests inject failures there).
     */
    static void build(StreamExecutionEnvironment env, JobSettings settings, UnaryOperator<DataStream<Post>> beforeEnrich) {
        LakeLayout layout = LakeLayoutMarker.claim(settings.lake(), settings.partition());
        DataStream<RawRecord> raw = sources(env, settings);

        SingleOutputStreamOperator<Post> posts = raw
                .process(new NormalizeFunction()).uid("normalize").name("normalize");
        DataStream<DeadLetter> deadLetters = posts.getSideOutput(NormalizeFunction.DEAD_LETTERS);
        DataStream<Tombstone> tombstones = posts.getSideOutput(NormalizeFunction.TOMBSTONES);

        DataStream<Post> unique = posts
                .keyBy(post -> post.postId)
                .process(new DeduplicateByPostId(settings.dedupTtl())).uid("deduplicate").name("deduplicate");

        DataStream<Post> enriched = AsyncDataStream.unorderedWait(
                        beforeEnrich.apply(unique),
                        new EnrichPostsFunction(settings.enrichment(), new ModelEnricherFactory()),
                        settings.enrichmentTimeout().toMillis(), TimeUnit.MILLISECONDS, settings.enrichmentCapacity())
                .uid("enrich").name("enrich");

        writeLake(enriched, tombstones, deadLetters, settings, layout);
    }

    /** Every configured source, as one stream of raw records. */
    private static DataStream<RawRecord> sources(StreamExecutionEnvironment env, JobSettings settings) {
        DataStream<RawRecord> raw = null;
        if (!settings.files().isEmpty()) {
            raw = readFiles(env, settings);
        }
        if (!settings.xRules().isEmpty()) {
            DataStream<RawRecord> x = followX(env, settings);
            raw = raw == null ? x : raw.union(x);
        }
        if (settings.bluesky()) {
            DataStream<RawRecord> bluesky = followBluesky(env, settings);
            raw = raw == null ? bluesky : raw.union(bluesky);
        }
        if (settings.mastodonServer() != null) {
            DataStream<RawRecord> mastodon = followMastodon(env, settings);
            raw = raw == null ? mastodon : raw.union(mastodon);
        }
        return raw;
    }

    /** One timeline of one Mastodon server: one streaming connection and one position, so parallelism 1. */
    private static DataStream<RawRecord> followMastodon(StreamExecutionEnvironment env, JobSettings settings) {
        MastodonSource source = JobSources.mastodon(settings.mastodonServer(), settings.mastodonHashtag(),
                settings.mastodonList(), settings.mastodonLocal(), settings.mastodonToken());
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "mastodon")
                .setParallelism(1).uid("source-mastodon").name("mastodon");
    }

    /** Bluesky through Jetstream: one WebSocket subscription, so parallelism 1. */
    private static DataStream<RawRecord> followBluesky(StreamExecutionEnvironment env, JobSettings settings) {
        JetstreamSource source = JobSources.bluesky(settings.blueskyKeywords(), settings.blueskyLanguages(),
                settings.blueskyEndpoints());
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "bluesky")
                .setParallelism(1).uid("source-bluesky").name("bluesky");
    }

    /**
     * The X API v2 filtered stream (or recent-search polling): one connection, so parallelism 1; with
     * the compliance stream, its four partitions are read by the same source reader.
     */
    private static DataStream<RawRecord> followX(StreamExecutionEnvironment env, JobSettings settings) {
        XStreamSource source = JobSources.x(settings.xRules(), settings.xBearerToken(), settings.xApiBase(),
                settings.xPollOnly(), settings.xCompliance());
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "x")
                .setParallelism(1).uid("source-x").name("x");
    }

    private static DataStream<RawRecord> readFiles(StreamExecutionEnvironment env, JobSettings settings) {
        Path[] paths = settings.files().stream().map(Path::new).toArray(Path[]::new);
        FileSource.FileSourceBuilder<RawRecord> files = FileSource.forBulkFileFormat(
                new JsonLinesFormat(settings.fileRules().toArray(new String[0])), paths);
        if (settings.watchInterval() != null) {
            files.monitorContinuously(settings.watchInterval());
        }
        return env.fromSource(files.build(), WatermarkStrategy.noWatermarks(), "files")
                .uid("source-files").name("files");
    }

    private static void writeLake(DataStream<Post> enriched, DataStream<Tombstone> tombstones,
            DataStream<DeadLetter> deadLetters, JobSettings settings, LakeLayout layout) {
        enriched.map(new PostRowFunction())
                .returns(new GenericRecordAvroTypeInfo(LakeSchema.POSTS)).uid("posts-rows").name("posts rows")
                .sinkTo(parquetSink(settings, LakeTables.POSTS, layout))
                .uid("posts-sink").name("posts sink");

        enriched.flatMap((Post post, Collector<GenericRecord> out) -> LakeRows.entityRows(post).forEach(out::collect))
                .returns(new GenericRecordAvroTypeInfo(LakeSchema.ENTITIES)).uid("entity-rows").name("entity rows")
                .sinkTo(parquetSink(settings, LakeTables.ENTITIES, layout))
                .uid("entities-sink").name("entities sink");

        tombstones.map(LakeRows::tombstoneRow)
                .returns(new GenericRecordAvroTypeInfo(LakeSchema.TOMBSTONES)).uid("tombstone-rows").name("tombstone rows")
                .sinkTo(parquetSink(settings, LakeTables.TOMBSTONES, layout))
                .uid("tombstones-sink").name("tombstones sink");

        // Dead letters commit with the same checkpoint as the posts read beside them, so that
        // `tidings deadletters` and the dashboard see a refusal as soon as the lake shows the rest.
        deadLetters
                .sinkTo(FileSink.forRowFormat(new Path(settings.lake(), DEAD_LETTERS), new DeadLetterEncoder())
                        .withBucketAssigner(TimePartitionAssigner.<DeadLetter>daily(d -> d.failedAt))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                        .build())
                .uid("deadletter-sink").name("dead letter sink");

        if (settings.glueDatabase() != null) {
            registerPartitions(enriched, tombstones, settings, layout);
        }
    }

    /**
     * The partitions the posts, their entities and the tombstones go to, registered in Glue once
     * the Parquet sinks have committed them ({@link GluePartitionSink}); one subtask, as a partition
     * is registered once. Each subtask passes on a partition only when it differs from its last
     * (posts arrive mostly in time order), so the registrar sees a handful per checkpoint, not one
     * per post. {@code tombstones} may be null (a rescore writes none).
     */
    static void registerPartitions(DataStream<Post> enriched, DataStream<Tombstone> tombstones, JobSettings settings,
            LakeLayout layout) {
        DataStream<TablePartition> partitions = enriched
                .flatMap((Post post, Collector<TablePartition> out) -> {
                    LakePartition partition = LakePartition.of(Instant.ofEpochMilli(post.createdAt), layout);
                    out.collect(new TablePartition(LakeTables.POSTS.name(), partition));
                    if (post.entities.length > 0) {
                        out.collect(new TablePartition(LakeTables.ENTITIES.name(), partition));
                    }
                })
                .returns(TablePartition.class).uid("post-partitions").name("post partitions");
        if (tombstones != null) {
            partitions = partitions.union(tombstones.map(tombstone -> new TablePartition(LakeTables.TOMBSTONES.name(),
                            LakePartition.of(Instant.ofEpochMilli(tombstone.deletedAt), layout)))
                    .returns(TablePartition.class).uid("tombstone-partitions").name("tombstone partitions"));
        }
        partitions.filter(new ChangedPartitions()).uid("changed-partitions").name("changed partitions")
                .sinkTo(new GluePartitionSink(settings.glueDatabase(), settings.lake(), layout, settings.glueRegion(), settings.glueEndpoint()))
                .setParallelism(1).uid("glue-partitions").name("glue partitions");
    }

    /** Lets a table's partition through when it is not one of the two this subtask let through last (posts and entities alternate). */
    private static final class ChangedPartitions implements FilterFunction<TablePartition> {
        private static final long serialVersionUID = 1L;
        private transient TablePartition last;
        private transient TablePartition beforeLast;

        @Override
        public boolean filter(TablePartition partition) {
            if (partition.equals(last) || partition.equals(beforeLast)) {
                return false;
            }
            beforeLast = last;
            last = partition;
            return true;
        }
    }

    /**
     * When a partition counts as done. A live source (X, Bluesky, Mastodon) may post into a partition once a
     * minute: closing its file sooner than a checkpoint would only make more, smaller files. Files
     * are read fast and mostly in time order, so a partition that got nothing for a few seconds
     * is finished with: closing it then keeps an archive import's open writers few.
     */
    static Duration quietAfter(JobSettings settings) {
        Duration interval = settings.checkpointInterval();
        if (settings.followsLiveSources()) {
            return interval;
        }
        return interval.compareTo(FILES_QUIET_AFTER) < 0 ? interval : FILES_QUIET_AFTER;
    }

    /**
     * One lake table's sink, from its one description ({@link LakeTables.Table}: folder, columns,
     * partition time; {@link LakeSchema#of} its Parquet schema): Parquet part files in the layout's
     * partition folders by the row's partition time, committed on
     * checkpoints, with at most {@link JobSettings#maxOpenPartitions} open at once per subtask
     * and a quiet partition ({@link #quietAfter}) closed early ({@link BoundedPartitionsRollingPolicy}).
     */
    static FileSink<GenericRecord> parquetSink(JobSettings settings, LakeTables.Table table, LakeLayout layout) {
        return FileSink.forBulkFormat(new Path(settings.lake(), table.folder()), ParquetRowWriters.forSchema(LakeSchema.of(table)))
                .withBucketAssigner(TimePartitionAssigner.byColumn(layout, table.partitionTime()))
                .withRollingPolicy(new BoundedPartitionsRollingPolicy<>(quietAfter(settings), settings.maxOpenPartitions(),
                        MAX_PART_BYTES))
                .withBucketCheckInterval(BUCKET_CHECK_MILLIS)
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .build();
    }

    /**
     * Entry point on a Flink cluster: settings from program arguments (see README); checkpointing,
     * retention and restarts as {@link FaultTolerance#onCluster} settles them between the arguments
     * and the cluster's configuration.
     */
    public static void main(String[] args) throws Exception {
        ClusterArguments.Parsed parsed = ClusterArguments.parseWithGiven(args);
        JobSettings settings = parsed.settings();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FaultTolerance.onCluster(env.getConfiguration(), settings, parsed.given()));
        settings = FaultTolerance.intervalOnCluster(env.getConfiguration(), settings, parsed.given());
        env.setParallelism(settings.parallelism());
        build(env, settings);
        env.execute("tidings");
    }
}
