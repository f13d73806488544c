package io.tidings.operators;

import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * How many records were skipped, by kind ("X compliance tweet_edit": 3): the accumulator behind the
 * summary's list of what was skipped. Kinds come partly from the input (a Bluesky event's
 * {@code kind}, a collection name), so a hostile stream could invent a new one per record: past
 * {@value #MAX_KINDS} kinds the rest are counted as {@value #OTHER}.
 */
public final class SkippedKinds implements Accumulator<String, TreeMap<String, Long>> {
    private static final long serialVersionUID = 1L;

    static final int MAX_KINDS = 100;
    static final String OTHER = "other kinds";

    private TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public void add(String kind) {
        add(kind, 1);
    }

    private void add(String kind, long count) {
        String key = counts.containsKey(kind) || counts.size() < MAX_KINDS ? kind : OTHER;
        counts.merge(key, count, Long::sum);
    }

    @Override
    public TreeMap<String, Long> getLocalValue() {
        return counts;
    }

    @Override
    public void resetLocal() {
        counts = new TreeMap<>();
    }

    @Override
    public void merge(Accumulator<String, TreeMap<String, Long>> other) {
        other.getLocalValue().forEach(this::add);
    }

    @Override
    public SkippedKinds clone() {
        SkippedKinds copy = new SkippedKinds();
        copy.counts = new TreeMap<>(counts);
        return copy;
    }
}
