package io.tidings.operators.dedup;

import io.tidings.operators.JobCounters;
import io.tidings.records.Post;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each version of a post through once and drops the repeats. Sources deliver some posts
 * twice by design (a stream reconnect overlaps with the gap-filling search; a file is imported
 * twice), and the lake must hold each version once. A version is the pair ({@code post_id},
 * {@code edited_at}): an edit (Mastodon's {@code status.update}) of a stored post passes, and so
 * does an older version arriving late (the views pick the newest). Keyed by {@code post_id}; each
 * remembered version expires after a TTL so state does not grow without bound.
 *
 * <p>State: {@value #VERSIONS_STATE}, a map from {@code edited_at} ({@link #FIRST_VERSION} for a
 * post never edited) to a flag, each entry with the TTL. Jobs written before versions kept one
 * flag per post id, {@value #LEGACY_STATE}: a job restored from such a checkpoint still reads it,
 * as "the first version was stored" (those jobs stored one version per post, almost always the
 * first), and moves it into the map when the post shows up again. It expires with the same TTL, so
 * nothing of it is left a TTL after the upgrade.
 */
public class DeduplicateByPostId extends KeyedProcessFunction<String, Post, Post> {
    private static final long serialVersionUID = 1L;

    /** The map key of a post as first published ({@code editedAt} null). */
    static final long FIRST_VERSION = Long.MIN_VALUE;
    /** The state of the versions seen per post id. */
    static final String VERSIONS_STATE = "seen-versions";
    /** The state of jobs before versions: one "seen" flag per post id. Name and type must stay as they were. */
    static final String LEGACY_STATE = "seen";

    private final Duration remember;
    private transient MapState<Long, Boolean> versions;
    private transient ValueState<Boolean> legacySeen;
    private transient Counter duplicates;
    private transient LongCounter duplicatesTotal;

    /** @param remember how long a version is remembered after it was last seen */
    public DeduplicateByPostId(Duration remember) {
        this.remember = remember;
    }

    @Override
    public void open(OpenContext openContext) {
        // OnReadAndWrite as before: a version seen again stays remembered for another TTL.
        StateTtlConfig ttl = StateTtlConfig.newBuilder(remember)
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
        MapStateDescriptor<Long, Boolean> versionsDescriptor =
                new MapStateDescriptor<>(VERSIONS_STATE, Types.LONG, Types.BOOLEAN);
        versionsDescriptor.enableTimeToLive(ttl);
        versions = getRuntimeContext().getMapState(versionsDescriptor);
        // Registered exactly as the old job did (name, type, TTL), or a restore of its state fails.
        ValueStateDescriptor<Boolean> legacyDescriptor = new ValueStateDescriptor<>(LEGACY_STATE, Types.BOOLEAN);
        legacyDescriptor.enableTimeToLive(ttl);
        legacySeen = getRuntimeContext().getState(legacyDescriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        duplicatesTotal = new LongCounter();
        getRuntimeContext().addAccumulator(JobCounters.DUPLICATES, duplicatesTotal);
    }

    @Override
    public void processElement(Post post, Context ctx, Collector<Post> out) throws Exception {
        long version = post.editedAt == null ? FIRST_VERSION : post.editedAt;
        if (versions.contains(version)) {
            duplicate();
            return;
        }
        if (legacySeen.value() != null) {
            // A post id an old job stored: its first version is in the lake.
            versions.put(FIRST_VERSION, Boolean.TRUE);
            legacySeen.clear();
            if (version == FIRST_VERSION) {
                duplicate();
                return;
            }
        }
        versions.put(version, Boolean.TRUE);
        out.collect(post);
    }

    private void duplicate() {
        duplicates.inc();
        duplicatesTotal.add(1);
    }
}
