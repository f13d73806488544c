package io.tidings.job.rescore;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Of a post's candidates (keyed by post_id, already scored again), the one whose row the lake's
 * views show: the newest version, of that the one scored last, the rule of {@code
 * LakeSql.newestVersion}. The rows of a post may be in any file of its partition, read in any
 * order, so the choice is final only once every file has been read: an event-time timer at the end
 * of time fires when the bounded source has finished (its final watermark, which the async
 * enrichment step passes on only after every post before it). The candidate and the timer are
 * keyed state, checkpointed with the source's position and the posts in flight, so a resumed run
 * neither forgets a post scored before a kill nor writes one twice; and the scoring, the slow part,
 * is done and checkpointed while the files are read, so the end-of-input step only writes rows.
 *
 * <p>The chosen post goes on to be written unless its new row would change nothing the views show
 * ({@link RescoreCandidate#changesNothing}): already the new model's ({@link NewerRows}), or not
 * scored, as the row shown was not (a first rescore with the lake's own model would otherwise
 * write a row for every post not in English, and the views would show the same).
 */
public class ShownVersion extends KeyedProcessFunction<String, RescoreCandidate, Post> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<RescoreCandidate> shown;
    private transient LongCounter leftAlone;

    @Override
    public void open(OpenContext openContext) {
        shown = getRuntimeContext().getState(new ValueStateDescriptor<>("shown-row", TypeInformation.of(RescoreCandidate.class)));
        leftAlone = getRuntimeContext().getLongCounter(JobCounters.SKIPPED);
    }

    @Override
    public void processElement(RescoreCandidate candidate, Context context, Collector<Post> out) throws Exception {
        RescoreCandidate current = shown.value();
        if (current == null) {
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            shown.update(candidate);
        } else if (candidate.shownOver(current)) {
            shown.update(candidate);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Post> out) throws Exception {
        RescoreCandidate candidate = shown.value();
        shown.clear();
        if (candidate == null) {
            return;
        }
        if (candidate.changesNothing()) {
            leftAlone.add(1);
            return;
        }
        out.collect(candidate.post);
    }
}
