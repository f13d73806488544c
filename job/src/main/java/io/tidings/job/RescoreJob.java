package io.tidings.job;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import io.tidings.job.lake.LakeLayoutMarker;
import io.tidings.job.lake.LakeSchema;
import io.tidings.job.rescore.LakeParquetFormat;
import io.tidings.job.rescore.RescoreSettings;
import io.tidings.job.rescore.NewerRows;
import io.tidings.job.rescore.RescoreCandidate;
import io.tidings.job.rescore.RescoreEnrichFunction;
import io.tidings.job.rescore.RescoredRows;
import io.tidings.job.rescore.ShownVersion;
import io.tidings.operators.enrich.ModelEnricherFactory;
import io.tidings.records.Post;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rescore job ({@code bin/tidings rescore}), bounded, over the lake's own files:
 *
 * <pre>
 * posts Parquet of the chosen days → rows newer than those of their post read before (keyed by post_id)
 *   → enrich with the new model (the import's batcher) → the row each post shows (keyed, chosen at end of input)
 *   → new posts + entities rows (scored_at) → the same lake
 * </pre>
 *
 * Exactly once as the import is: the file source's positions and the rows chosen so far are in
 * the checkpoints, the Parquet sinks commit on them, and {@code --resume} continues from the last.
 * No file is rewritten or deleted: the old rows stay, and the views switch to the new ones when
 * their files are committed ({@code LakeSql.newestVersion}). Files the rescore writes while it runs
 * are not read by it: a bounded file source lists its files once, at the start, and keeps that
 * list in its checkpoints.
 */
public final class RescoreJob {
    private RescoreJob() {}

    /**
     * The day folders of the lake's posts ({@code posts/dt=YYYY-MM-DD}) from {@code from} to {@code
     * to}, both included (null: open), oldest first, through Flink's file systems (local or
     * {@code s3://}, once {@link LocalRunner#initializeFileSystems} ran).
     *
     * @throws NoSuchFileException when the lake has no posts folder
     */
    public static List<String> dayFolders(String lake, LocalDate from, LocalDate to) throws IOException {
        Path posts = new Path(lakeUri(lake), TidingsJob.POSTS);
        FileSystem fs = posts.getFileSystem();
        if (!fs.exists(posts)) {
            throw new NoSuchFileException(posts.toString(), null, "no posts in this lake: nothing to rescore");
        }
        List<String> days = new ArrayList<>();
        FileStatus[] children = fs.listStatus(posts);
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            String name = child.getPath().getName();
            if (!child.isDir() || !name.startsWith("dt=")) {
                continue;
            }
            LocalDate day;
            try {
                day = LocalDate.parse(name.substring(3));
            } catch (DateTimeParseException notADay) {
                continue; // not a partition the job writes
            }
            if ((from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to))) {
                days.add(child.getPath().toString());
            }
        }
        days.sort(null);
        return days;
    }

    /** A local lake as an absolute file URI (the file source resolves no relative paths), others as given. */
    public static String lakeUri(String lake) {
        if (lake.contains("://") || lake.startsWith("file:")) {
            return lake;
        }
        return java.nio.file.Path.of(lake).toAbsolutePath().normalize().toUri().toString();
    }

    /** Adds the rescore to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings) {
        RescoreSettings rescore = settings.rescore();
        if (rescore.postFolders().isEmpty()) {
            throw new IllegalArgumentException("no days of posts to rescore in " + settings.lake());
        }
        LakeLayout layout = LakeLayoutMarker.claim(settings.lake(), settings.partition());
        Path[] folders = rescore.postFolders().stream().map(Path::new).toArray(Path[]::new);
        FileSource<GenericRecord> files = FileSource.forRecordStreamFormat(new LakeParquetFormat(), folders)
                .build();
        DataStream<RescoreCandidate> candidates = env.fromSource(files, WatermarkStrategy.noWatermarks(), "lake posts")
                .uid("source-lake-posts").name("lake posts")
                .keyBy(row -> row.get("post_id").toString())
                .process(new NewerRows(rescore.modelVersion(), rescore.modelSignals())).uid("newer-rows").name("newer rows");

        DataStream<Post> shown = AsyncDataStream.unorderedWait(candidates,
                        new RescoreEnrichFunction(settings.enrichment(), new ModelEnricherFactory()),
                        settings.enrichmentTimeout().toMillis(), TimeUnit.MILLISECONDS, settings.enrichmentCapacity())
                .uid("enrich").name("enrich")
                .keyBy(candidate -> candidate.post.postId)
                .process(new ShownVersion()).uid("shown-version").name("shown version");

        SingleOutputStreamOperator<GenericRecord> postRows = shown.process(new RescoredRows())
                .returns(new GenericRecordAvroTypeInfo(LakeSchema.POSTS))
                .uid("rescored-rows").name("rescored rows");
        postRows.sinkTo(TidingsJob.parquetSink(settings, LakeTables.POSTS, layout))
                .uid("posts-sink").name("posts sink");
        postRows.getSideOutput(RescoredRows.ENTITIES)
                .sinkTo(TidingsJob.parquetSink(settings, LakeTables.ENTITIES, layout))
                .uid("entities-sink").name("entities sink");

        if (settings.glueDatabase() != null) {
            TidingsJob.registerPartitions(shown, null, settings, layout);
        }
    }
}
