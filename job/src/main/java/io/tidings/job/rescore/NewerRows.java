package io.tidings.job.rescore;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import java.util.Set;
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
 * be the row shown), so it is not sent to the model: scoring it again would change nothing. Unless
 * the model gives one of issue 21's signals the row lacks: that row is scored again to fill it (a
 * lake scored before the runtime read those heads, or by a config of the same version that listed
 * fewer of them; each signal counts, so a row with emotion only still gets offensive, hate and
 * irony). Whether the others' new rows change anything is known once they are scored ({@link
 * RescoreCandidate#changesNothing}).
 */
public class NewerRows extends KeyedProcessFunction<String, GenericRecord, RescoreCandidate> {
    private static final long serialVersionUID = 1L;

    private final String modelVersion;
    /** The model's heads among issue 21's signals ({@link RescoreSettings#modelSignals}). */
    private final Set<String> modelSignals;
    /** The best row so far: its version and scoring time. */
    private transient ValueState<Tuple2<Long, Long>> best;
    private transient LongCounter rows;
    private transient LongCounter posts;

    public NewerRows(String modelVersion) {
        this(modelVersion, Set.of());
    }

    /**
     * @param modelSignals the keys of issue 21's heads the model has: a row of its version that lacks
     *     any of those signals is scored again rather than left alone (the same model, read by a
     *     runtime or a config that did not fetch those heads, wrote it)
     */
    public NewerRows(String modelVersion, Set<String> modelSignals) {
        this.modelVersion = modelVersion;
        this.modelSignals = Set.copyOf(modelSignals);
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
        Set<String> rowSignals = LakePosts.signals(post);
        boolean leftAlone = modelVersion.equals(post.modelVersion) && rowSignals.containsAll(modelSignals);
        RescoreCandidate candidate = new RescoreCandidate(post, LakePosts.version(row), LakePosts.scoredAt(row),
                leftAlone, post.modelVersion, rowSignals);
        Tuple2<Long, Long> sofar = best.value();
        if (sofar == null) {
            posts.add(1);
        } else if (!candidate.shownOver(new RescoreCandidate(null, sofar.f0, sofar.f1, false, null, Set.of()))) {
            return;
        }
        best.update(Tuple2.of(candidate.version, candidate.scoredAt));
        out.collect(candidate);
    }
}
