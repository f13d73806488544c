package io.tidings.job.lake;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns an enriched post into its {@code posts} row, counting the posts written and those the models
 * scored, and noting when the first one came (the start-up time the summary reports).
 */
public class PostRowFunction extends RichMapFunction<Post, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private transient LongCounter written;
    private transient LongCounter scored;
    private transient LongMinimum firstWrittenAt;

    @Override
    public void open(OpenContext openContext) {
        written = new LongCounter();
        scored = new LongCounter();
        getRuntimeContext().addAccumulator(JobCounters.WRITTEN, written);
        getRuntimeContext().addAccumulator(JobCounters.SCORED, scored);
        firstWrittenAt = new LongMinimum();
        getRuntimeContext().addAccumulator(JobCounters.FIRST_WRITTEN_AT, firstWrittenAt);
    }

    @Override
    public GenericRecord map(Post post) {
        if (written.getLocalValue() == 0) {
            firstWrittenAt.add(System.currentTimeMillis());
        }
        written.add(1);
        if (post.sentiment != null) {
            scored.add(1);
        }
        return LakeRows.postRow(post);
    }
}
