package io.tidings.operators.normalize;

import io.tidings.operators.JobCounters;
import io.tidings.operators.SkippedKinds;
import io.tidings.records.DeadLetter;
import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import io.tidings.records.Tombstone;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The normalize step: raw records in, posts out, and every record that cannot become a post goes
 * to the {@link #DEAD_LETTERS} side output with its bytes and the reason. Nothing a source reads
 * is dropped silently, and no input can fail the job. Deletions of posts go to the {@link
 * #TOMBSTONES} side output, so the lake can hide the posts they delete.
 */
public class NormalizeFunction extends ProcessFunction<RawRecord, Post> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeFunction.class);

    /** Records refused with a reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    /** Deletions of posts, stamped with the platform's deletion time (else the time the record was read). */
    public static final OutputTag<Tombstone> TOMBSTONES = new OutputTag<>("tombstones") {};

    private final PostNormalizer normalizer = new PostNormalizer();
    private transient LongCounter records;
    private transient LongCounter posts;
    private transient LongCounter deadLetters;
    private transient LongCounter skipped;
    private transient LongCounter deletions;
    private transient SkippedKinds skippedKinds;
    private transient Set<String> kindsLogged;
    private transient Counter deadLetterMetric;

    @Override
    public void open(OpenContext openContext) {
        records = counter(JobCounters.RECORDS);
        posts = counter(JobCounters.POSTS);
        deadLetters = counter(JobCounters.DEAD_LETTERS);
        skipped = counter(JobCounters.SKIPPED);
        deletions = counter(JobCounters.DELETIONS);
        skippedKinds = new SkippedKinds();
        getRuntimeContext().addAccumulator(JobCounters.SKIPPED_KINDS, skippedKinds);
        kindsLogged = new HashSet<>();
        deadLetterMetric = getRuntimeContext().getMetricGroup().counter(JobCounters.DEAD_LETTERS);
    }

    private LongCounter counter(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        return counter;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Post> out) {
        records.add(1);
        long now = System.currentTimeMillis();
        List<NormalizeResult> results;
        try {
            // One record may hold several posts (an X search page): each is judged on its own.
            results = normalizer.normalizeAll(raw, now);
        } catch (RuntimeException e) {
            // The normalizer is written never to throw; if it does, the record still is not lost.
            results = List.of(NormalizeResult.reject("normalizer failed: " + e));
        }
        for (NormalizeResult result : results) {
            route(raw, result, now, ctx, out);
        }
    }

    private void route(RawRecord raw, NormalizeResult result, long now, Context ctx, Collector<Post> out) {
        switch (result.outcome()) {
            case POST -> {
                posts.add(1);
                out.collect(result.post());
            }
            case SKIP -> {
                if (result.isDeletion()) {
                    deletions.add(1);
                    long deletedAt = result.deletedAt() != null ? result.deletedAt()
                            : raw.receivedAt > 0 ? raw.receivedAt : now;
                    ctx.output(TOMBSTONES, new Tombstone(result.deletedPostId(), deletedAt, raw.source));
                } else {
                    skipped.add(1);
                    skippedKinds.add(result.kind());
                    // The summary counts each kind; the log keeps one full reason of each, with where it was read.
                    if (kindsLogged.size() < 1_000 && kindsLogged.add(result.kind())) {
                        LOG.info("skipped (first of its kind in this task): {} — {} at {}", result.reason(), raw.source, raw.position);
                    }
                }
            }
            case REJECT -> {
                deadLetters.add(1);
                deadLetterMetric.inc();
                ctx.output(DEAD_LETTERS, new DeadLetter(raw, result.reason(), now));
            }
        }
    }
}
