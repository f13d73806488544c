package io.tidings.job.rescore;

import io.tidings.job.lake.LakeRows;
import io.tidings.job.lake.LakeSchema;
import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A post scored again as its new {@code posts} row (the main output) and its mentions' {@code
 * entities} rows (a side output), all with one {@code scored_at}: the mentions belong to that row,
 * and the views show it over the earlier scorings of the same version. {@code scored_at} is now, or
 * just after the post was read should the lake's clock have been ahead: the new row must be the later one.
 */
public class RescoredRows extends ProcessFunction<Post, GenericRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<GenericRecord> ENTITIES =
            new OutputTag<>("rescored-entities", new GenericRecordAvroTypeInfo(LakeSchema.ENTITIES));

    private transient LongCounter written;
    private transient LongCounter scored;
    private transient LongMinimum firstWrittenAt;

    @Override
    public void open(OpenContext openContext) {
        written = getRuntimeContext().getLongCounter(JobCounters.WRITTEN);
        scored = getRuntimeContext().getLongCounter(JobCounters.SCORED);
        firstWrittenAt = new LongMinimum();
        getRuntimeContext().addAccumulator(JobCounters.FIRST_WRITTEN_AT, firstWrittenAt);
    }

    @Override
    public void processElement(Post post, Context context, Collector<GenericRecord> out) {
        long now = System.currentTimeMillis();
        if (written.getLocalValue() == 0) {
            firstWrittenAt.add(now);
        }
        long scoredAt = Math.max(now, post.ingestedAt + 1);
        written.add(1);
        if (post.sentiment != null) {
            scored.add(1);
        }
        out.collect(LakeRows.postRow(post, scoredAt));
        for (GenericRecord mention : LakeRows.entityRows(post, scoredAt)) {
            context.output(ENTITIES, mention);
        }
    }
}
