package io.tidings.models;

import io.tidings.records.EntityMention;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores a model's entity head on CoNLL files with conlleval semantics: entity-level exact match
 * (same tokens, same type), precision, recall and F1 per type and micro-averaged over all types.
 *
 * <p>Each sentence's tokens are joined with single spaces into the text the model sees (so
 * {@code @ handle} split by the BTC export is scored as written in the file; use the
 * {@code .merged} files). Predicted char spans map back to tokens: a token takes an entity's type
 * when its span overlaps the entity, the first such token {@code B-}, the rest {@code I-}.
 *
 * <p>Gold tags may be BIO or IO (conlleval reads an {@code I-X} after {@code O} or another type as
 * the start of an entity). A type map such as
 * {@code person=PER,corporation=ORG,group=ORG,location=LOC,product=O,creative-work=O} renames gold
 * types, and {@code O} drops a type from the gold standard; predicted types are taken as they are.
 */
public final class EntityEvaluation {

    private EntityEvaluation() {}

    /** One sentence of a CoNLL file. */
    public record Sentence(List<String> tokens, List<String> tags) {
        /** The text the model is given: tokens joined with single spaces. */
        public String text() {
            return String.join(" ", tokens);
        }
    }

    /** A chunk in conlleval's sense: tokens {@code [start, end)} of one type. */
    record Chunk(int sentence, int start, int end, String type) {}

    /** Counts per type: entities in the gold standard, predicted, and predicted exactly right. */
    public static final class Counts {
        public final long gold;
        public final long predicted;
        public final long correct;

        Counts(long gold, long predicted, long correct) {
            this.gold = gold;
            this.predicted = predicted;
            this.correct = correct;
        }

        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** The outcome of one evaluation. */
    public static final class Result {
        private final Map<String, Counts> byType;
        private final Counts micro;
        private final long tokens;
        private final long tokensCorrect;
        private final int sentences;

        Result(Map<String, Counts> byType, Counts micro, long tokens, long tokensCorrect, int sentences) {
            this.byType = byType;
            this.micro = micro;
            this.tokens = tokens;
            this.tokensCorrect = tokensCorrect;
            this.sentences = sentences;
        }

        /** Counts per entity type (types in gold or predictions), sorted by name. */
        public Map<String, Counts> byType() {
            return byType;
        }

        /** Counts over all types: micro-averaged precision, recall and F1. */
        public Counts micro() {
            return micro;
        }

        /** Share of tokens whose predicted tag equals the gold tag (conlleval's "accuracy"). */
        public double tokenAccuracy() {
            return tokens == 0 ? 0 : (double) tokensCorrect / tokens;
        }

        /** A conlleval-style report. */
        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "processed %d tokens in %d sentences with %d phrases; found: %d phrases;"
                    + " correct: %d.%n", tokens, sentences, micro.gold, micro.predicted, micro.correct));
            out.append(String.format(Locale.ROOT, "accuracy: %6.2f%%; precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f%n",
                    100 * tokenAccuracy(), 100 * micro.precision(), 100 * micro.recall(), 100 * micro.f1()));
            byType.forEach((type, c) -> out.append(String.format(Locale.ROOT,
                    "%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d (gold %d)%n", type,
                    100 * c.precision(), 100 * c.recall(), 100 * c.f1(), c.predicted, c.gold)));
            return out.toString();
        }

        @Override
        public String toString() {
            return report();
        }
    }

    /**
     * Parses a type map {@code from=TO,from2=TO2}; keys match case-insensitively, {@code O} drops a
     * type. An empty or {@code null} spec keeps every type.
     */
    public static Map<String, String> parseTypeMap(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return map;
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("Bad type map entry '" + pair + "' in '" + spec + "'");
            }
            map.put(kv[0].trim().toLowerCase(Locale.ROOT), kv[1].trim());
        }
        return map;
    }

    /**
     * Reads a CoNLL file: one {@code token<TAB>tag} (or {@code token tag}) per line, the tag being
     * after the last tab (or space); sentences are separated by blank or whitespace-only lines;
     * {@code -DOCSTART-} lines are skipped. A token may be empty ({@code <TAB>O} in the BTC export).
     * Gold types are renamed through {@code typeMap} (see {@link #parseTypeMap}).
     */
    public static List<Sentence> readConll(Path file, Map<String, String> typeMap) {
        List<String> lines = TweetEvalFiles.lines(file);
        List<Sentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (line.isBlank()) {
                if (!tokens.isEmpty()) {
                    sentences.add(new Sentence(List.copyOf(tokens), List.copyOf(tags)));
                    tokens.clear();
                    tags.clear();
                }
                continue;
            }
            if (line.startsWith("-DOCSTART-")) {
                continue;
            }
            // token<TAB>tag (the BTC export has a few empty tokens: "<TAB>O"), else token<SPACE>tag
            String trimmed = line.stripTrailing();
            int split = trimmed.lastIndexOf('\t');
            if (split < 0) {
                trimmed = trimmed.strip();
                split = trimmed.lastIndexOf(' ');
                if (split <= 0) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected 'token<TAB>tag', got '"
                            + line + "'");
                }
            }
            tokens.add(trimmed.substring(0, split).strip());
            tags.add(mapTag(trimmed.substring(split + 1).strip(), typeMap, file + ":" + lineNumber));
        }
        if (!tokens.isEmpty()) {
            sentences.add(new Sentence(List.copyOf(tokens), List.copyOf(tags)));
        }
        return sentences;
    }

    private static String mapTag(String tag, Map<String, String> typeMap, String where) {
        if (tag.equals("O")) {
            return tag;
        }
        if (tag.length() < 3 || tag.charAt(1) != '-' || "BI".indexOf(tag.charAt(0)) < 0) {
            throw new IllegalArgumentException(where + ": tag '" + tag + "' is not O, B-X or I-X");
        }
        String type = tag.substring(2);
        String mapped = typeMap.getOrDefault(type.toLowerCase(Locale.ROOT), type);
        return mapped.equals("O") ? "O" : tag.charAt(0) + "-" + mapped;
    }

    /**
     * Tags the tokens of {@code text = String.join(" ", tokens)} with predicted mentions: a token
     * overlapping a mention's char span gets its type, {@code B-} on the first such token. A token
     * already tagged by an earlier mention keeps that tag.
     */
    public static List<String> tagsFromMentions(List<String> tokens, List<EntityMention> mentions) {
        int[] starts = new int[tokens.size()];
        int[] ends = new int[tokens.size()];
        int offset = 0;
        for (int i = 0; i < tokens.size(); i++) {
            starts[i] = offset;
            ends[i] = offset + tokens.get(i).length();
            offset = ends[i] + 1;
        }
        String[] tags = new String[tokens.size()];
        java.util.Arrays.fill(tags, "O");
        for (EntityMention mention : mentions) {
            boolean first = true;
            for (int i = 0; i < tokens.size(); i++) {
                boolean overlaps = starts[i] < mention.end && mention.start < ends[i] && ends[i] > starts[i];
                if (overlaps && tags[i].equals("O")) {
                    tags[i] = (first ? "B-" : "I-") + mention.type;
                    first = false;
                } else if (overlaps) {
                    first = false;
                }
            }
        }
        return List.of(tags);
    }

    /** Scores predicted against gold tag sequences, sentence by sentence, with conlleval semantics. */
    public static Result score(List<List<String>> gold, List<List<String>> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold sentences but " + predicted.size() + " predicted");
        }
        Set<Chunk> goldChunks = new HashSet<>();
        Set<Chunk> predictedChunks = new HashSet<>();
        long tokens = 0;
        long tokensCorrect = 0;
        for (int s = 0; s < gold.size(); s++) {
            List<String> g = gold.get(s);
            List<String> p = predicted.get(s);
            if (g.size() != p.size()) {
                throw new IllegalArgumentException("Sentence " + s + ": " + g.size() + " gold tags but " + p.size()
                        + " predicted");
            }
            goldChunks.addAll(chunks(s, g));
            predictedChunks.addAll(chunks(s, p));
            for (int i = 0; i < g.size(); i++) {
                tokens++;
                if (g.get(i).equals(p.get(i))) {
                    tokensCorrect++;
                }
            }
        }
        Set<String> types = new TreeSet<>();
        goldChunks.forEach(c -> types.add(c.type()));
        predictedChunks.forEach(c -> types.add(c.type()));
        Map<String, Counts> byType = new TreeMap<>();
        long allCorrect = 0;
        for (String type : types) {
            long goldCount = goldChunks.stream().filter(c -> c.type().equals(type)).count();
            long predictedCount = predictedChunks.stream().filter(c -> c.type().equals(type)).count();
            long correct = predictedChunks.stream().filter(c -> c.type().equals(type) && goldChunks.contains(c)).count();
            byType.put(type, new Counts(goldCount, predictedCount, correct));
            allCorrect += correct;
        }
        Counts micro = new Counts(goldChunks.size(), predictedChunks.size(), allCorrect);
        return new Result(byType, micro, tokens, tokensCorrect, gold.size());
    }

    /** Runs the model over the sentences (one batched call) and scores its entities. */
    public static Result evaluate(TweetModel model, List<Sentence> sentences) {
        if (model.config().entities() == null) {
            throw new IllegalArgumentException("Model " + model.config().name() + " has no entity head");
        }
        List<String> texts = new ArrayList<>();
        for (Sentence sentence : sentences) {
            texts.add(sentence.text());
        }
        List<ModelPrediction> predictions = model.predict(texts);
        List<List<String>> gold = new ArrayList<>();
        List<List<String>> predicted = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            gold.add(sentences.get(i).tags());
            predicted.add(tagsFromMentions(sentences.get(i).tokens(), predictions.get(i).entities()));
        }
        return score(gold, predicted);
    }

    /** Reads a CoNLL file with a type map spec (may be empty) and evaluates the model on it. */
    public static Result evaluate(TweetModel model, Path conllFile, String typeMapSpec) {
        return evaluate(model, readConll(conllFile, parseTypeMap(typeMapSpec)));
    }

    /** conlleval's chunks of one tag sequence (BIO or IO). */
    static List<Chunk> chunks(int sentence, List<String> tags) {
        List<Chunk> result = new ArrayList<>();
        String prefixBefore = "O";
        String typeBefore = "";
        int openStart = -1;
        String openType = null;
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "O";
            String prefix = tag.equals("O") ? "O" : tag.substring(0, 1);
            String type = tag.equals("O") ? "" : tag.substring(2);
            if (openType != null && endOfChunk(prefixBefore, prefix, typeBefore, type)) {
                result.add(new Chunk(sentence, openStart, i, openType));
                openType = null;
            }
            if (startOfChunk(prefixBefore, prefix, typeBefore, type)) {
                openStart = i;
                openType = type;
            }
            prefixBefore = prefix;
            typeBefore = type;
        }
        return result;
    }

    private static boolean endOfChunk(String prevPrefix, String prefix, String prevType, String type) {
        if (prevPrefix.equals("O")) {
            return false;
        }
        return prefix.equals("B") || prefix.equals("O") || !Objects.equals(prevType, type);
    }

    private static boolean startOfChunk(String prevPrefix, String prefix, String prevType, String type) {
        if (prefix.equals("B")) {
            return true;
        }
        if (prefix.equals("I")) {
            return prevPrefix.equals("O") || !Objects.equals(prevType, type);
        }
        return false;
    }
}
