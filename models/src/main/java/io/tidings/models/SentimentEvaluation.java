package io.tidings.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores a model's sentiment head on labelled tweets with the SemEval-2017 Task 4A / TweetEval
 * metric, macro-averaged recall over negative, neutral and positive, plus accuracy, per-class
 * recall and the confusion matrix. The CLI that calls it lives elsewhere; this is the library.
 *
 * <p>Two input formats:
 * <ul>
 *   <li>SemEval TSV: {@code id<TAB>label<TAB>text}, label {@code negative/neutral/positive}. Texts of
 *       the older files keep JSON escapes ({@code \u002c}) and are sometimes wrapped in double
 *       quotes; both are undone so the model sees the tweet as posted.</li>
 *   <li>TweetEval: {@code <split>_text.txt} and {@code <split>_labels.txt} side by side, one tweet
 *       and one label (0 negative, 1 neutral, 2 positive) per line.</li>
 * </ul>
 */
public final class SentimentEvaluation {

    private static final List<String> LABELS = ModelConfig.SENTIMENT_LABELS;
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u([0-9a-fA-F]{4})");

    private SentimentEvaluation() {}

    /** One labelled text. */
    public record LabeledText(String id, String label, String text) {}

    /** Counts and metrics of one evaluation; {@code confusion[gold][predicted]} in label order. */
    public static final class Result {
        private final ConfusionMatrix matrix;

        Result(long[][] confusion) {
            this.matrix = new ConfusionMatrix(LABELS, confusion);
        }

        /** Rows: gold label, columns: predicted label, both in the order negative, neutral, positive. */
        public long[][] confusion() {
            return matrix.counts();
        }

        public long total() {
            return matrix.total();
        }

        public double accuracy() {
            return matrix.accuracy();
        }

        /** Recall of one label; 0 when the data has none of it. */
        public double recall(String label) {
            return matrix.recall(index(label));
        }

        /** The official metric: the unweighted mean of the three recalls. */
        public double macroRecall() {
            return (recall("negative") + recall("neutral") + recall("positive")) / 3;
        }

        /** A printable summary: metrics, per-class recall, confusion matrix. */
        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "texts: %d%n", total()));
            out.append(String.format(Locale.ROOT, "macro-recall: %.4f%n", macroRecall()));
            out.append(String.format(Locale.ROOT, "accuracy:     %.4f%n", accuracy()));
            for (String label : LABELS) {
                out.append(String.format(Locale.ROOT, "recall %-9s %.4f%n", label + ":", recall(label)));
            }
            return out.append(matrix.table(10)).toString();
        }

        @Override
        public String toString() {
            return report();
        }
    }

    /**
     * Reads a SemEval TSV file, or a TweetEval {@code *_text.txt} file (its {@code *_labels.txt}
     * sibling is found by name).
     */
    public static List<LabeledText> read(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith("_text.txt")) {
            return readTweetEval(file, file.resolveSibling(name.replaceAll("_text\\.txt$", "_labels.txt")));
        }
        return readTsv(file);
    }

    /** Reads {@code id<TAB>label<TAB>text} lines; blank lines are skipped. */
    public static List<LabeledText> readTsv(Path file) {
        List<LabeledText> result = new ArrayList<>();
        int lineNumber = 0;
        for (String line : TweetEvalFiles.lines(file)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", 3);
            if (fields.length < 3) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": expected id<TAB>label<TAB>text");
            }
            String label = canonicalLabel(fields[1], file + ":" + lineNumber);
            result.add(new LabeledText(fields[0].trim(), label, cleanSemEvalText(fields[2])));
        }
        return result;
    }

    /** Reads TweetEval's parallel text and label files (labels 0, 1, 2). */
    public static List<LabeledText> readTweetEval(Path textFile, Path labelFile) {
        List<LabeledText> result = new ArrayList<>();
        for (TweetEvalFiles.Line line : TweetEvalFiles.read(textFile, labelFile)) {
            result.add(new LabeledText(Integer.toString(line.number() - 1),
                    canonicalLabel(line.label(), labelFile + ":" + line.number()), line.text()));
        }
        return result;
    }

    /** Counts gold against predicted labels (same length, labels negative/neutral/positive). */
    public static Result score(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold labels but " + predicted.size() + " predictions");
        }
        long[][] confusion = new long[3][3];
        for (int i = 0; i < gold.size(); i++) {
            confusion[index(gold.get(i))][index(predicted.get(i))]++;
        }
        return new Result(confusion);
    }

    /** Runs the model's sentiment head over the data and scores it. */
    public static Result evaluate(TweetModel model, List<LabeledText> data) {
        if (model.config().sentiment() == null) {
            throw new IllegalArgumentException("Model " + model.config().name() + " has no sentiment head");
        }
        List<String> texts = new ArrayList<>();
        List<String> gold = new ArrayList<>();
        for (LabeledText item : data) {
            texts.add(item.text());
            gold.add(item.label());
        }
        List<String> predicted = new ArrayList<>();
        for (ModelPrediction prediction : model.predict(texts)) {
            predicted.add(prediction.sentiment());
        }
        return score(gold, predicted);
    }

    /** Reads a file in either format and evaluates the model on it. */
    public static Result evaluate(TweetModel model, Path file) {
        List<LabeledText> data = read(file);
        if (data.isEmpty()) {
            throw new IllegalArgumentException(file + " has no texts to evaluate");
        }
        return evaluate(model, data);
    }

    static String cleanSemEvalText(String raw) {
        String text = raw.replaceAll("[\\t\\r]+$", "");
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        Matcher m = UNICODE_ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String canonicalLabel(String raw, String where) {
        String label = raw.trim().toLowerCase(Locale.ROOT);
        switch (label) {
            case "0":
            case "negative":
                return "negative";
            case "1":
            case "neutral":
            case "objective":
            case "objective-or-neutral":
                return "neutral";
            case "2":
            case "positive":
                return "positive";
            default:
                throw new IllegalArgumentException(where + ": unknown sentiment label '" + raw + "'");
        }
    }

    private static int index(String label) {
        int i = LABELS.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("Unknown sentiment label '" + label + "'");
        }
        return i;
    }
}
