package io.tidings.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading evaluation files, shared by {@link SentimentEvaluation} and {@link SignalEvaluation}:
 * TweetEval's parallel files, where line i of {@code <split>_text.txt} is labelled by line i of
 * {@code <split>_labels.txt}.
 */
final class TweetEvalFiles {
    private TweetEvalFiles() {}

    /** One text with its label as written in the labels file; {@code number} is its 1-based line. */
    record Line(int number, String text, String label) {}

    /** The text and label files side by side; trailing blank lines are ignored, other count mismatches refused. */
    static List<Line> read(Path textFile, Path labelFile) {
        List<String> texts = lines(textFile);
        List<String> labels = lines(labelFile);
        while (!texts.isEmpty() && texts.get(texts.size() - 1).isEmpty()) {
            texts.remove(texts.size() - 1);
        }
        while (!labels.isEmpty() && labels.get(labels.size() - 1).isBlank()) {
            labels.remove(labels.size() - 1);
        }
        if (texts.size() != labels.size()) {
            throw new IllegalArgumentException(textFile + " has " + texts.size() + " lines but " + labelFile + " has "
                    + labels.size());
        }
        List<Line> result = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            result.add(new Line(i + 1, texts.get(i), labels.get(i)));
        }
        return result;
    }

    /** A file's lines as UTF-8 (a leading byte-order mark dropped), in a list the caller may change. */
    static List<String> lines(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
