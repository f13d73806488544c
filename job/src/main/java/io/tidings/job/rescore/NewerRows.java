package io.tidings.job.rescore;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on a post's row (keyed by post_id) only when it would be shown over every row of the
 * post read before it ({@link RescoreCandidate#shownOver}): a superseded version or an earlier
 * scoring read after the newer one is never scored again. Rows come in file order, not time order,
 * so an older row read first is passed on too; {@link ShownVersion} picks among what comes through.
 *
 * <p>A row that already has the new model's version is passed on marked as left alone (it may still
 * be the row shown), so it is not sent to the model: scoring it again would change nothing.
 * Whether the others' new rows change anything is known once they are scored ({@link
 * RescoreCandidate#changesNothing}).
 */
public class NewerRows extends KeyedProcessFunction<String, GenericRecord, RescoreCandidate> {
    private static final long serialVersionUID = 1L;

    private final String modelVersion;
    /** The best row so far: its version and scoring time. */
    private transient ValueState<Tuple2<Long, Long>> best;
    private transient LongCounter rows;
    private transient LongCounter posts;

    public NewerRows(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    @Override
    public void open(OpenContext openContext) {
        best = getRuntimeContext().getState(new ValueStateDescriptor<>("best-row", Types.TUPLE(Types.LONG, Types.LONG)));
        rows = getRuntimeContext().getLongCounter(JobCounters.RECORDS);
        posts = getRuntimeContext().getLongCounter(JobCounters.POSTS);
    }

    @Override
    public void processElement(GenericRecord row, Context context, Collector<RescoreCandidate> out) throws Exception {
        rows.add(1);
        Post post = LakePosts.post(row);
        RescoreCandidate candidate = new RescoreCandidate(post, LakePosts.version(row), LakePosts.scoredAt(row),
                modelVersion.equals(post.modelVersion), post.modelVersion);
        Tuple2<Long, Long> sofar = best.value();
        if (sofar == null) {
            posts.add(1);
        } else if (!candidate.shownOver(new RescoreCandidate(null, sofar.f0, sofar.f1, false, null))) {
            return;
        }
        best.update(Tuple2.of(candidate.version, candidate.scoredAt));
        out.collect(candidate);
    }
}
