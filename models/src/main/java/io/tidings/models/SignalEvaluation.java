package io.tidings.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores one of issue 21's heads (emotion, hate, irony, offensive: {@link ModelConfig#SIGNAL_LABELS})
 * on labelled tweets with TweetEval's metric for that task: macro-averaged F1 over the classes for
 * emotion, hate and offensive, the F1 of the {@code irony} class for irony. Plus precision, recall
 * and F1 per class and the confusion matrix. The pattern of {@link SentimentEvaluation}; the CLI
 * ({@code bin/tidings eval emotion FILE}) lives in the job module.
 *
 * <p>Two input formats:
 * <ul>
 *   <li>TweetEval: {@code <split>_text.txt} and {@code <split>_labels.txt} side by side, one tweet
 *       and one label per line, the label an index into the head's labels in the order of {@link
 *       ModelConfig#SIGNAL_LABELS} (TweetEval's own numbering).</li>
 *   <li>TSV: {@code label<TAB>text}, the label by name ({@code anger}, {@code not-offensive},
 *       {@code irony}, ...; case does not matter). Blank lines are skipped.</li>
 * </ul>
 */
public final class SignalEvaluation {

    private SignalEvaluation() {}

    /** One labelled text; {@code label} is an index into the task's labels. */
    public record LabeledText(int label, String text) {}

    /** Counts and metrics of one evaluation; {@code confusion[gold][predicted]} in the task's label order. */
    public static final class Result {
        private final String task;
        private final ConfusionMatrix matrix;

        Result(String task, long[][] confusion) {
            this.task = task;
            this.matrix = new ConfusionMatrix(SignalEvaluation.labels(task), confusion);
        }

        public String task() {
            return task;
        }

        public List<String> labels() {
            return matrix.labels();
        }

        /** Rows: gold label, columns: predicted label, both in the task's label order. */
        public long[][] confusion() {
            return matrix.counts();
        }

        public long total() {
            return matrix.total();
        }

        /** Of the texts predicted {@code label}, the share that are; 0 when none was predicted. */
        public double precision(String label) {
            return matrix.precision(index(label));
        }

        /** Of the texts that are {@code label}, the share predicted so; 0 when the data has none. */
        public double recall(String label) {
            return matrix.recall(index(label));
        }

        /** The harmonic mean of precision and recall; 0 when both are. */
        public double f1(String label) {
            return matrix.f1(index(label));
        }

        /**
         * The mean F1 over the classes that occur in the gold labels or the predictions, as TweetEval's
         * scorer (scikit-learn's {@code classification_report}) averages: a sample without a class is not
         * charged a zero for it.
         */
        public double macroF1() {
            double sum = 0;
            int classes = 0;
            for (int c = 0; c < matrix.labels().size(); c++) {
                if (matrix.occurs(c)) {
                    sum += matrix.f1(c);
                    classes++;
                }
            }
            return classes == 0 ? 0 : sum / classes;
        }

        /** TweetEval's metric of the task: the F1 of the {@code irony} class for irony, macro-F1 otherwise. */
        public double metric() {
            return task.equals("irony") ? f1("irony") : macroF1();
        }

        /** What {@link #metric()} is, in words. */
        public String metricName() {
            return task.equals("irony") ? "F1 (irony)" : "macro-F1";
        }

        private int index(String label) {
            int i = matrix.labels().indexOf(label);
            if (i < 0) {
                throw new IllegalArgumentException("the " + task + " head has no label '" + label + "': " + matrix.labels());
            }
            return i;
        }

        /** A printable summary: the metric, P/R/F1 per class, the confusion matrix. */
        public String report() {
            List<String> labels = matrix.labels();
            int width = Math.max(10, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "task: %s%n", task));
            out.append(String.format(Locale.ROOT, "texts: %d%n", total()));
            out.append(String.format(Locale.ROOT, "%s: %.4f%n", metricName(), metric()));
            if (task.equals("irony")) {
                // irony's metric is one class's F1: macro-F1 beside it for comparison with the other tasks
                out.append(String.format(Locale.ROOT, "macro-F1: %.4f%n", macroF1()));
            }
            out.append(String.format(Locale.ROOT, "%-" + width + "s%10s%10s%10s%10s%n", "class", "precision", "recall", "F1", "gold"));
            for (int c = 0; c < labels.size(); c++) {
                out.append(String.format(Locale.ROOT, "%-" + width + "s%10.4f%10.4f%10.4f%10d%n", labels.get(c), matrix.precision(c),
                        matrix.recall(c), matrix.f1(c), matrix.gold(c)));
            }
            return out.append(matrix.table(width)).toString();
        }

        @Override
        public String toString() {
            return report();
        }
    }

    /** The labels of a task, in the order its logits and TweetEval's label indices have them. */
    public static List<String> labels(String task) {
        List<String> labels = ModelConfig.SIGNAL_LABELS.get(task);
        if (labels == null) {
            throw new IllegalArgumentException("no task '" + task + "'; known are " + ModelConfig.SIGNAL_LABELS.keySet());
        }
        return labels;
    }

    /**
     * Reads a TweetEval {@code *_text.txt} file (its {@code *_labels.txt} sibling is found by name),
     * or a TSV of {@code label<TAB>text} lines.
     */
    public static List<LabeledText> read(String task, Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith("_text.txt")) {
            return readTweetEval(task, file, file.resolveSibling(name.replaceAll("_text\\.txt$", "_labels.txt")));
        }
        return readTsv(task, file);
    }

    /** Reads {@code label<TAB>text} lines, labels by name; blank lines are skipped. */
    public static List<LabeledText> readTsv(String task, Path file) {
        List<String> labels = labels(task);
        List<LabeledText> result = new ArrayList<>();
        int lineNumber = 0;
        for (String line : TweetEvalFiles.lines(file)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", 2);
            if (fields.length < 2) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": expected label<TAB>text");
            }
            int label = labels.indexOf(fields[0].trim().toLowerCase(Locale.ROOT));
            if (label < 0) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": unknown " + task + " label '" + fields[0]
                        + "'; known are " + labels);
            }
            result.add(new LabeledText(label, fields[1].replaceAll("\r$", "")));
        }
        return result;
    }

    /** Reads TweetEval's parallel text and label files (labels: indices into the task's labels). */
    public static List<LabeledText> readTweetEval(String task, Path textFile, Path labelFile) {
        List<String> labels = labels(task);
        if (!Files.isRegularFile(labelFile)) {
            throw new IllegalArgumentException(textFile + " is a TweetEval text file, but its labels " + labelFile
                    + " are not beside it");
        }
        List<LabeledText> result = new ArrayList<>();
        for (TweetEvalFiles.Line line : TweetEvalFiles.read(textFile, labelFile)) {
            int label;
            try {
                label = Integer.parseInt(line.label().trim());
            } catch (NumberFormatException e) {
                label = -1;
            }
            if (label < 0 || label >= labels.size()) {
                throw new IllegalArgumentException(labelFile + ":" + line.number() + ": '" + line.label() + "' is not a "
                        + task + " label index 0.." + (labels.size() - 1) + " " + labels);
            }
            result.add(new LabeledText(label, line.text()));
        }
        return result;
    }

    /** Counts gold against predicted label indices (same length). */
    public static Result score(String task, List<Integer> gold, List<Integer> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold labels but " + predicted.size() + " predictions");
        }
        int k = labels(task).size();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < gold.size(); i++) {
            confusion[gold.get(i)][predicted.get(i)]++;
        }
        return new Result(task, confusion);
    }

    /** Whether the model has the task's head (a model without it cannot be evaluated on it). */
    public static boolean hasHead(TweetModel model, String task) {
        labels(task);
        return model.config().signal(task) != null;
    }

    /**
     * Runs the model's head of {@code task} over the data and scores it: the label the runtime
     * chooses ({@link ModelPrediction#signalLabel}: the most probable emotion, a yes/no head's "yes"
     * from probability 0.5 on), as the job writes it into the lake.
     *
     * @throws IllegalArgumentException when the model has no such head
     */
    public static Result evaluate(TweetModel model, String task, List<LabeledText> data) {
        if (!hasHead(model, task)) {
            throw new IllegalArgumentException("Model " + model.config().nameAndVersion() + " has no " + task + " head");
        }
        List<String> labels = labels(task);
        List<String> texts = new ArrayList<>();
        List<Integer> gold = new ArrayList<>();
        for (LabeledText item : data) {
            texts.add(item.text());
            gold.add(item.label());
        }
        List<Integer> predicted = new ArrayList<>();
        for (ModelPrediction prediction : model.predict(texts)) {
            predicted.add(labels.indexOf(prediction.signalLabel(task)));
        }
        return score(task, gold, predicted);
    }

    /** Reads a file in either format and evaluates the model on it. */
    public static Result evaluate(TweetModel model, String task, Path file) {
        List<LabeledText> data = read(task, file);
        if (data.isEmpty()) {
            throw new IllegalArgumentException(file + " has no texts to evaluate");
        }
        return evaluate(model, task, data);
    }
}
