package io.tidings.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading evaluation files, shared by {@link SentimentEvaluation}, {@link SignalEvaluation} and
 * {@link EntityEvaluation}: strict UTF-8 lines ({@link #lines}), and TweetEval's parallel files,
 * where line i of {@code <split>_text.txt} is labelled by line i of {@code <split>_labels.txt}.
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

    /**
     * A file's lines as UTF-8 (a leading byte-order mark dropped), in a list the caller may change.
     * Bytes that are not UTF-8 are refused naming the file, line and column (a red-team finding: the
     * decoder's own "Input length = 1" said neither), never replaced by U+FFFD, which would score a
     * text the file does not hold.
     */
    static List<String> lines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw notUtf8(file, bytes);
        }
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    /** Where the first bytes that are not UTF-8 are: file, line and byte column, both from 1. */
    private static IllegalArgumentException notUtf8(Path file, byte[] bytes) {
        int start = 0;
        for (int line = 1; start <= bytes.length; line++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
            ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
            CoderResult result = decoder.decode(in, CharBuffer.allocate(end - start + 1), true);
            if (result.isError()) {
                return new IllegalArgumentException(file + ":" + line + ": not UTF-8 text (byte " + (in.position() - start + 1)
                        + " of the line, 0x" + String.format("%02x", bytes[in.position()] & 0xff) + "); save the file as UTF-8");
            }
            start = end + 1;
        }
        return new IllegalArgumentException(file + ": not UTF-8 text; save the file as UTF-8");
    }
}
