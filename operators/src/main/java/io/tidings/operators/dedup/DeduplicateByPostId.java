package io.tidings.operators.dedup;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets the first post with a given id through and drops the later ones. Sources deliver some
 * posts twice by design (a stream reconnect overlaps with the gap-filling search; a file is
 * imported twice), and the lake must hold each post once. Keyed by {@code post_id}; the "seen"
 * flag expires after a TTL so state does not grow without bound.
 */
public class DeduplicateByPostId extends KeyedProcessFunction<String, Post, Post> {
    private static final long serialVersionUID = 1L;

    private final Duration remember;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient LongCounter duplicatesTotal;

    /** @param remember how long a post id is remembered after it was last seen */
    public DeduplicateByPostId(Duration remember) {
        this.remember = remember;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(remember)
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        duplicatesTotal = new LongCounter();
        getRuntimeContext().addAccumulator(JobCounters.DUPLICATES, duplicatesTotal);
    }

    @Override
    public void processElement(Post post, Context ctx, Collector<Post> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            duplicatesTotal.add(1);
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(post);
    }
}
