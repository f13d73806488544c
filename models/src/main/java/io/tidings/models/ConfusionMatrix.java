package io.tidings.models;

import java.util.List;
import java.util.Locale;

/**
 * Counts of gold label against predicted label over a set of texts, and the per-class figures
 * evaluations report from them: precision, recall, F1. Shared by {@link SentimentEvaluation} and
 * {@link SignalEvaluation}, whose official metrics combine these differently (macro-recall,
 * macro-F1, one class's F1).
 */
public final class ConfusionMatrix {
    private final List<String> labels;
    private final long[][] counts;

    /** {@code counts[gold][predicted]}, both indexes into {@code labels}; kept as given (callers fill it first). */
    ConfusionMatrix(List<String> labels, long[][] counts) {
        this.labels = List.copyOf(labels);
        this.counts = counts;
    }

    public List<String> labels() {
        return labels;
    }

    /** A copy of the counts: rows gold label, columns predicted label, both in label order. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long v : row) {
                total += v;
            }
        }
        return total;
    }

    /** The share of texts whose prediction is their gold label; 0 for no texts. */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        long total = total();
        return total == 0 ? 0 : (double) right / total;
    }

    /** How many texts have gold label {@code c}. */
    public long gold(int c) {
        long gold = 0;
        for (long v : counts[c]) {
            gold += v;
        }
        return gold;
    }

    /** How many texts were predicted {@code c}. */
    public long predicted(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted;
    }

    /** Of the texts predicted {@code c}, the share that are; 0 when none was predicted. */
    public double precision(int c) {
        long predicted = predicted(c);
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    /** Of the texts that are {@code c}, the share predicted so; 0 when the data has none. */
    public double recall(int c) {
        long gold = gold(c);
        return gold == 0 ? 0 : (double) counts[c][c] / gold;
    }

    /** The harmonic mean of precision and recall; 0 when both are. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Whether class {@code c} occurs at all, as a gold label or as a prediction. */
    public boolean occurs(int c) {
        return gold(c) + predicted(c) > 0;
    }

    /** The table, rows gold and columns predicted, each column {@code width} characters. */
    public String table(int width) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "confusion (rows gold, columns predicted)%n%-" + width + "s", ""));
        for (String label : labels) {
            out.append(String.format(Locale.ROOT, "%" + width + "s", label));
        }
        out.append(System.lineSeparator());
        for (int g = 0; g < labels.size(); g++) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s", labels.get(g)));
            for (int p = 0; p < labels.size(); p++) {
                out.append(String.format(Locale.ROOT, "%" + width + "d", counts[g][p]));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
