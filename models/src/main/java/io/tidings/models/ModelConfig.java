package io.tidings.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's {@code config.json}, reduced to what the runtime needs: name and version, maximum
 * sequence length, the graph inputs to feed, and the heads (which graph output holds which labels).
 *
 * <p>Models trained by tidings carry a {@code "tidings"} block naming all of this. A plain Hugging
 * Face export (a user's sequence or token classifier) has none; then the one head is derived from
 * {@code id2label} and the rank of the graph's only output: rank 2 is a sentiment (sequence) head,
 * rank 3 an entity (token) head. Deriving needs the graph, so {@link #read} takes the output ranks.
 *
 * <p>Sentiment labels are mapped to {@code negative/neutral/positive} case-insensitively
 * ({@code neg}, {@code LABEL_0}... are accepted; {@code LABEL_0..2} are read in that order, the
 * convention of the cardiffnlp Twitter models). Entity labels are upper-cased BIO tags.
 */
public final class ModelConfig {

    /** The sentiment labels every prediction is expressed in, in this order. */
    public static final List<String> SENTIMENT_LABELS = List.of("negative", "neutral", "positive");

    /** The emotions a model with an emotion head tells apart, in its logits' order. */
    public static final List<String> EMOTION_LABELS = List.of("anger", "joy", "optimism", "sadness");

    /**
     * The optional sequence-level heads of issue 21, by their key in {@code tidings.heads}, with the
     * labels each must have in this order: a model's logit k is the probability of label k, and a
     * yes/no head's second label is "yes" (what {@code Post.offensiveScore} and the others hold). The
     * order is also the one TweetEval's label files number them in, which {@code
     * SignalEvaluation} reads.
     */
    public static final Map<String, List<String>> SIGNAL_LABELS = signalLabels();

    private static Map<String, List<String>> signalLabels() {
        Map<String, List<String>> labels = new LinkedHashMap<>();
        labels.put("emotion", EMOTION_LABELS);
        labels.put("hate", List.of("not-hate", "hate"));
        labels.put("irony", List.of("not-irony", "irony"));
        labels.put("offensive", List.of("not-offensive", "offensive"));
        return Collections.unmodifiableMap(labels);
    }

    /**
     * One classification head: the graph output that holds its logits and the label of each logit,
     * in logit order. Sentiment labels are already mapped to {@link #SENTIMENT_LABELS} names
     * (a model may order them differently); entity labels are upper-cased BIO tags.
     */
    public static final class Head {
        private final String output;
        private final List<String> labels;

        Head(String output, List<String> labels) {
            this.output = output;
            this.labels = List.copyOf(labels);
        }

        public String output() {
            return output;
        }

        public List<String> labels() {
            return labels;
        }

        @Override
        public String toString() {
            return output + labels;
        }
    }

    /**
     * What a model is fed as {@code token_type_ids}. {@link #TOKENIZER}: what the tokenizer gives (all
     * zeros for one text), as for any Hugging Face model. {@link #CASING}: 1 where the token's first
     * character in the original text is an upper-case letter, else 0, which gives a model with an
     * uncased vocabulary its strongest cue for names back; {@code "token_types": "casing"} in the
     * {@code tidings} block asks for it, and the model must have been trained with it.
     */
    public enum TokenTypes {
        TOKENIZER, CASING
    }

    /**
     * How the model reads URLs. {@link #KEEP}: as written, the default. {@link #SHORTEN}: each URL
     * keeps its first four characters ({@code http}, {@code www.}) and the rest is read as spaces, so
     * a t.co link costs one token instead of a dozen word pieces of noise while offsets into the text
     * stay those of the original ({@code "urls": "shorten"} in the {@code tidings} block). The model
     * must have been trained that way, like the cardiffnlp Twitter models, whose training replaced links
     * with "http"; the bundled model reads URLs as written.
     */
    public enum Urls {
        KEEP, SHORTEN
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String version;
    private final int maxLength;
    private final List<String> inputs;
    private final long padTokenId;
    private final Head sentiment;
    private final Head entities;
    /** The signal heads the model has, by key of {@link #SIGNAL_LABELS}, in that order. */
    private final Map<String, Head> signals;
    private final TokenTypes tokenTypes;
    private final Urls urls;

    private ModelConfig(String name, String version, int maxLength, List<String> inputs, long padTokenId,
            Head sentiment, Head entities, Map<String, Head> signals, TokenTypes tokenTypes, Urls urls) {
        this.name = name;
        this.version = version;
        this.maxLength = maxLength;
        this.inputs = List.copyOf(inputs);
        this.padTokenId = padTokenId;
        this.sentiment = sentiment;
        this.entities = entities;
        this.signals = Collections.unmodifiableMap(new LinkedHashMap<>(signals));
        this.tokenTypes = tokenTypes;
        this.urls = urls;
    }

    /**
     * Reads {@code config.json} from a model directory.
     *
     * @param outputRanks the graph's outputs and their ranks ({@code OrtSession.getOutputInfo()}),
     *     used to check the heads and to derive them when there is no {@code tidings} block
     * @throws IllegalArgumentException with a readable reason when the model is not usable
     */
    public static ModelConfig read(Path modelDir, Map<String, Integer> outputRanks) {
        JsonNode root;
        try {
            root = JSON.readTree(modelDir.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + modelDir.resolve("config.json"), e);
        }
        return fromJson(root, outputRanks, modelDir.getFileName() == null ? "model" : modelDir.getFileName().toString());
    }

    static ModelConfig fromJson(JsonNode root, Map<String, Integer> outputRanks, String fallbackName) {
        long padTokenId = root.path("pad_token_id").asLong(0);
        int maxPositions = root.path("max_position_embeddings").asInt(512);
        JsonNode tidings = root.get("tidings");
        ModelConfig config;
        if (tidings != null && tidings.isObject()) {
            String name = tidings.path("name").asText(fallbackName);
            String version = tidings.path("version").asText("unversioned");
            int maxLength = tidings.path("max_length").asInt(Math.min(128, maxPositions));
            List<String> inputs = new ArrayList<>();
            tidings.path("inputs").forEach(n -> inputs.add(n.asText()));
            JsonNode heads = tidings.path("heads");
            Head sentiment = heads.has("sentiment") ? sentimentHead(heads.get("sentiment").path("output").asText(),
                    texts(heads.get("sentiment").path("labels")), name) : null;
            Head entities = heads.has("entities") ? entityHead(heads.get("entities").path("output").asText(),
                    texts(heads.get("entities").path("labels")), name) : null;
            Map<String, Head> signals = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> signal : SIGNAL_LABELS.entrySet()) {
                if (heads.has(signal.getKey())) {
                    signals.put(signal.getKey(), signalHead(signal.getKey(), heads.get(signal.getKey()), signal.getValue(), name));
                }
            }
            config = new ModelConfig(name, version, maxLength, inputs, padTokenId, sentiment, entities, signals,
                    tokenTypes(tidings.path("token_types").asText("tokenizer"), name),
                    urls(tidings.path("urls").asText("keep"), name));
        } else {
            config = derive(root, outputRanks, fallbackName, padTokenId, Math.min(128, maxPositions));
        }
        config.check(outputRanks);
        return config;
    }

    private static ModelConfig derive(JsonNode root, Map<String, Integer> outputRanks, String fallbackName,
            long padTokenId, int maxLength) {
        String name = root.path("_name_or_path").asText("");
        if (name.isBlank()) {
            name = fallbackName;
        }
        List<String> labels = id2label(root.get("id2label"));
        List<String> headOutputs = new ArrayList<>();
        outputRanks.forEach((output, rank) -> {
            if (rank == 2 || rank == 3) {
                headOutputs.add(output);
            }
        });
        if (labels.isEmpty() || headOutputs.size() != 1) {
            throw new IllegalArgumentException("Model " + name + " has no \"tidings\" block in config.json and it "
                    + "cannot be derived: that needs an id2label map and exactly one graph output of rank 2 "
                    + "(sequence classifier) or 3 (token classifier); config id2label=" + labels
                    + ", graph outputs=" + outputRanks
                    + ". An encoder exported without a classification head is not a tidings model.");
        }
        String output = headOutputs.get(0);
        Head sentiment = null;
        Head entities = null;
        if (outputRanks.get(output) == 2) {
            sentiment = sentimentHead(output, labels, name);
        } else {
            entities = entityHead(output, labels, name);
        }
        return new ModelConfig(name, "unversioned", maxLength, List.of(), padTokenId, sentiment, entities, Map.of(),
                TokenTypes.TOKENIZER, Urls.KEEP);
    }

    private static TokenTypes tokenTypes(String value, String model) {
        return option(model, "token_types", value, "tokenizer", TokenTypes.TOKENIZER, "casing", TokenTypes.CASING);
    }

    private static Urls urls(String value, String model) {
        return option(model, "urls", value, "keep", Urls.KEEP, "shorten", Urls.SHORTEN);
    }

    /** The value of a two-way option of the {@code tidings} block; the first is the default. */
    private static <T> T option(String model, String key, String value, String firstName, T first, String secondName,
            T second) {
        if (value.equals(firstName)) {
            return first;
        }
        if (value.equals(secondName)) {
            return second;
        }
        throw new IllegalArgumentException("Model " + model + ": config.json has \"" + key + "\": \"" + value
                + "\"; known are \"" + firstName + "\" (the default) and \"" + secondName + "\"");
    }

    private static List<String> id2label(JsonNode id2label) {
        if (id2label == null || !id2label.isObject()) {
            return List.of();
        }
        Map<Integer, String> byId = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = id2label.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            try {
                byId.put(Integer.parseInt(field.getKey().trim()), field.getValue().asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("id2label key '" + field.getKey() + "' is not a number", e);
            }
        }
        List<String> labels = new ArrayList<>(byId.values());
        int expected = 0;
        for (int id : byId.keySet()) {
            if (id != expected++) {
                throw new IllegalArgumentException("id2label ids are not 0.." + (byId.size() - 1) + ": " + byId.keySet());
            }
        }
        return labels;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    /** Maps a sentiment head's labels onto {@link #SENTIMENT_LABELS}; the head's labels become the canonical names. */
    private static Head sentimentHead(String output, List<String> labels, String model) {
        if (labels.size() != 3) {
            throw new IllegalArgumentException("Model " + model + ": the sentiment head needs 3 labels "
                    + "(negative, neutral, positive), got " + labels);
        }
        List<String> canonical = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i).trim().toLowerCase(Locale.ROOT);
            String mapped;
            if (label.startsWith("neg")) {
                mapped = "negative";
            } else if (label.startsWith("neu")) {
                mapped = "neutral";
            } else if (label.startsWith("pos")) {
                mapped = "positive";
            } else if (label.equals("label_" + i)) {
                mapped = SENTIMENT_LABELS.get(i);
            } else {
                throw new IllegalArgumentException("Model " + model + ": sentiment label '" + labels.get(i)
                        + "' is not negative/neutral/positive (or LABEL_0..2)");
            }
            canonical.add(mapped);
        }
        if (!canonical.containsAll(SENTIMENT_LABELS)) {
            throw new IllegalArgumentException("Model " + model + ": sentiment labels " + labels
                    + " do not cover negative, neutral and positive");
        }
        return new Head(output, canonical);
    }

    /**
     * One of issue 21's heads: its labels must be the contract's, in its order (the logits are read
     * by position: a model whose "hate" logit came first would otherwise be read inverted), and its
     * output is already pooled over the tokens ({@code "pooling"}: how the model pooled, for the
     * reader; {@code "mean"} is the only one trained so far, and the runtime does nothing with it).
     */
    private static Head signalHead(String key, JsonNode head, List<String> expected, String model) {
        String output = head.path("output").asText("");
        if (output.isBlank()) {
            throw new IllegalArgumentException("Model " + model + ": the " + key + " head of config.json names no \"output\"");
        }
        List<String> labels = texts(head.path("labels")).stream().map(l -> l.trim().toLowerCase(Locale.ROOT)).toList();
        if (!labels.equals(expected)) {
            throw new IllegalArgumentException("Model " + model + ": the " + key + " head's labels are " + labels
                    + "; tidings reads this head's logits as " + expected + ", in that order");
        }
        return new Head(output, labels);
    }

    private static Head entityHead(String output, List<String> labels, String model) {
        List<String> tags = new ArrayList<>();
        for (String label : labels) {
            String tag = label.trim().toUpperCase(Locale.ROOT);
            if (!tag.equals("O") && !tag.matches("[BI]-.+")) {
                throw new IllegalArgumentException("Model " + model + ": entity label '" + label
                        + "' is not a BIO tag (O, B-X, I-X)");
            }
            tags.add(tag);
        }
        if (!tags.contains("O")) {
            throw new IllegalArgumentException("Model " + model + ": entity labels " + labels + " have no 'O'");
        }
        return new Head(output, tags);
    }

    private void check(Map<String, Integer> outputRanks) {
        if (sentiment == null && entities == null) {
            throw new IllegalArgumentException("Model " + name + " names no heads (sentiment or entities)");
        }
        checkHead(sentiment, 2, outputRanks);
        checkHead(entities, 3, outputRanks);
        for (Head signal : signals.values()) {
            checkHead(signal, 2, outputRanks);
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("Model " + name + ": max_length " + maxLength + " is too small");
        }
    }

    private void checkHead(Head head, int rank, Map<String, Integer> outputRanks) {
        if (head == null) {
            return;
        }
        Integer actual = outputRanks.get(head.output());
        if (actual == null) {
            throw new IllegalArgumentException("Model " + name + ": config.json names graph output '" + head.output()
                    + "' but model.onnx has outputs " + outputRanks.keySet()
                    + " (an encoder without classification heads is not a tidings model)");
        }
        if (actual != rank) {
            throw new IllegalArgumentException("Model " + name + ": graph output '" + head.output() + "' has rank "
                    + actual + ", expected " + rank);
        }
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** {@code name + "@" + version}: what {@code Post.modelVersion} records. */
    public String nameAndVersion() {
        return name + "@" + version;
    }

    /** Token sequences (special tokens included) are truncated to this length. */
    public int maxLength() {
        return maxLength;
    }

    /** The inputs the config names; empty when not given (then the graph's own inputs decide). */
    public List<String> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public long padTokenId() {
        return padTokenId;
    }

    /** The sentiment head, or {@code null} when the model has none. */
    public Head sentiment() {
        return sentiment;
    }

    /** The entity (token classification) head, or {@code null} when the model has none. */
    public Head entities() {
        return entities;
    }

    /**
     * The model's heads among issue 21's ({@link #SIGNAL_LABELS}: emotion, hate, irony, offensive), by
     * that key and in that order; empty for a model without them (older bundles, a user's export).
     */
    public Map<String, Head> signals() {
        return signals;
    }

    /** The signal head of that key ({@link #SIGNAL_LABELS}), or {@code null} when the model has none. */
    public Head signal(String key) {
        if (!SIGNAL_LABELS.containsKey(key)) {
            throw new IllegalArgumentException("no signal head " + key + "; known are " + SIGNAL_LABELS.keySet());
        }
        return signals.get(key);
    }

    /** What the model is fed as {@code token_type_ids}. */
    public TokenTypes tokenTypes() {
        return tokenTypes;
    }

    /** How the model reads URLs (see {@link Urls}). */
    public Urls urls() {
        return urls;
    }

    @Override
    public String toString() {
        return nameAndVersion() + "{maxLength=" + maxLength + ", sentiment=" + sentiment + ", entities=" + entities
                + (signals.isEmpty() ? "" : ", signals=" + signals) + "}";
    }
}
