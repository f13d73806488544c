package io.tidings.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real ONNX models for tests, built in a temporary directory: a "lookup" graph whose entity logits
 * are a per-token-id table and whose sentiment logits are the masked sum of a per-token-id table.
 * It runs through ONNX Runtime and the real tokenizer exactly as a trained model does, while its
 * answers are known: "barack obama" is a person, "new york" a location, "love" positive.
 *
 * <p>The tokenizer is the bundled model's {@code tokenizer.json}. Nothing here reads outside the
 * repository ({@code ../shared} is for training and full evaluations only).
 */
final class FixtureModels {

    static final List<String> ENTITY_LABELS = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");
    /** Word → entity tag the lookup model gives each of its word pieces. */
    static final Map<String, String> ENTITY_WORDS = new LinkedHashMap<>();
    /** Word → sentiment index (0 negative, 2 positive) it votes for. */
    static final Map<String, Integer> SENTIMENT_WORDS = Map.of("love", 2, "great", 2, "hate", 0, "awful", 0);
    /**
     * Issue 21's heads of the signals model: head → (word → the label index it votes for). A text
     * without cue words reads as joy, not offensive, not hateful, not ironic ([CLS] votes so).
     */
    static final Map<String, Map<String, Integer>> SIGNAL_WORDS = Map.of(
            "emotion", Map.of("furious", 0, "delighted", 1, "hopeful", 2, "miserable", 3),
            "hate", Map.of("vermin", 1),
            "irony", Map.of("ironically", 1),
            "offensive", Map.of("idiot", 1));

    static {
        ENTITY_WORDS.put("barack", "B-PER");
        ENTITY_WORDS.put("obama", "I-PER");
        ENTITY_WORDS.put("@", "B-PER");
        ENTITY_WORDS.put("#", "B-ORG");
        ENTITY_WORDS.put("apple", "B-ORG");
        ENTITY_WORDS.put("new", "B-LOC");
        ENTITY_WORDS.put("york", "I-LOC");
        ENTITY_WORDS.put("paris", "B-LOC");
        ENTITY_WORDS.put("london", "I-LOC");
    }

    private static final int VOCAB = 30522;
    private static Path root;

    private FixtureModels() {}

    /** {@code bundled/tweet-multitask}, or {@code -Dtidings.bundled=DIR} to try the bundled-model tests on another build. */
    static Path bundledModel() {
        return Paths.get(System.getProperty("tidings.bundled", "bundled/tweet-multitask")).toAbsolutePath();
    }

    /** How the job finds the bundled model (the classpath), unless {@code -Dtidings.bundled} points elsewhere. */
    static ModelLocation bundledLocation() {
        return System.getProperty("tidings.bundled") == null ? ModelLocation.BUNDLED_DEFAULT
                : ModelLocation.of(bundledModel());
    }

    static boolean bundledModelPresent() {
        return Files.isRegularFile(bundledModel().resolve("model.onnx"))
                && Files.isRegularFile(bundledModel().resolve("config.json"))
                && Files.isRegularFile(bundledModel().resolve("tokenizer.json"));
    }

    static Optional<Path> tokenizerJson() {
        Path bundled = bundledModel().resolve("tokenizer.json");
        return Files.isRegularFile(bundled) ? Optional.of(bundled) : Optional.empty();
    }

    /** The texts of the repository's demo sample: 2,495 real tweets (Broad Twitter Corpus, CC-BY 4.0). */
    static synchronized List<String> demoTweets() {
        if (demoTweets == null) {
            Path sample = Paths.get("../demo/btc-tweets.jsonl.gz").toAbsolutePath().normalize();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> texts = new java.util.ArrayList<>();
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(sample))) {
                for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList()) {
                    texts.add(json.readTree(line).path("text").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the demo sample " + sample, e);
            }
            demoTweets = List.copyOf(texts);
        }
        return demoTweets;
    }

    private static List<String> demoTweets;

    /** A bare encoder (output {@code last_hidden_state}, no heads, no tidings block), as a user might point --model at. */
    static synchronized Path encoderWithoutHeads() {
        return build("encoder", Variant.ENCODER);
    }

    /** The multitask lookup model: both heads, inputs input_ids and attention_mask only. */
    static synchronized Path multitask() {
        return build("multitask", Variant.MULTITASK);
    }

    /**
     * The multitask lookup model with issue 21's heads as well ({@code emotion_logits} [B,4], {@code
     * hate_logits}, {@code irony_logits}, {@code offensive_logits} [B,2]: masked sums of per-token
     * tables, {@link #SIGNAL_WORDS}), named in its config as the bundled model names them.
     */
    static synchronized Path withSignals() {
        return build("signals", Variant.SIGNALS);
    }

    /** Like a user's Hugging Face sequence classifier export: output "logits" [B,3], LABEL_0..2, no tidings block. */
    static synchronized Path sequenceClassifier() {
        return build("sequence-classifier", Variant.SEQUENCE);
    }

    /** Like a Hugging Face token classifier export: output "logits" [B,T,7], id2label, no tidings block. */
    static synchronized Path tokenClassifier() {
        return build("token-classifier", Variant.TOKEN);
    }

    private enum Variant { MULTITASK, SIGNALS, SEQUENCE, TOKEN, ENCODER }

    private static Path build(String name, Variant variant) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("tidings-fixture-models");
                root.toFile().deleteOnExit();
            }
            Path dir = root.resolve(name);
            if (Files.isRegularFile(dir.resolve("model.onnx"))) {
                return dir;
            }
            Files.createDirectories(dir);
            Path tokenizerJson = tokenizerJson().orElseThrow(() -> new IllegalStateException("no tokenizer.json"));
            Files.copy(tokenizerJson, dir.resolve("tokenizer.json"));
            float[] entityTable = new float[VOCAB * ENTITY_LABELS.size()];
            float[] sentimentTable = new float[VOCAB * 3];
            Map<String, float[]> signalTables = new LinkedHashMap<>();
            for (String head : ModelConfig.SIGNAL_LABELS.keySet()) {
                int labels = ModelConfig.SIGNAL_LABELS.get(head).size();
                float[] table = new float[VOCAB * labels];
                table[101 * labels + (head.equals("emotion") ? 1 : 0)] = 1f; // [CLS]: joy, and "no"
                signalTables.put(head, table);
            }
            try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson)) {
                for (int id = 0; id < VOCAB; id++) {
                    entityTable[id * ENTITY_LABELS.size()] = 5f;
                }
                ENTITY_WORDS.forEach((word, tag) -> {
                    for (long id : tokenizer.encode(word, false, false).getIds()) {
                        int row = (int) id * ENTITY_LABELS.size();
                        entityTable[row] = 0f;
                        entityTable[row + ENTITY_LABELS.indexOf(tag)] = 6f;
                    }
                });
                SENTIMENT_WORDS.forEach((word, label) -> {
                    for (long id : tokenizer.encode(word, false, false).getIds()) {
                        sentimentTable[(int) id * 3 + label] = 4f;
                    }
                });
                SIGNAL_WORDS.forEach((head, words) -> words.forEach((word, label) -> {
                    int labels = ModelConfig.SIGNAL_LABELS.get(head).size();
                    for (long id : tokenizer.encode(word, false, false).getIds()) {
                        signalTables.get(head)[(int) id * labels + label] = 4f;
                    }
                }));
            }
            sentimentTable[101 * 3 + 1] = 1f; // [CLS] votes neutral: a text without cue words is neutral
            OnnxGraphWriter graph = new OnnxGraphWriter()
                    .input("input_ids", OnnxGraphWriter.INT64, "batch", "sequence")
                    .input("attention_mask", OnnxGraphWriter.INT64, "batch", "sequence");
            boolean multitask = variant == Variant.MULTITASK || variant == Variant.SIGNALS;
            if (!multitask) {
                graph.input("token_type_ids", OnnxGraphWriter.INT64, "batch", "sequence");
            }
            if (variant == Variant.ENCODER) {
                graph.floatInitializer("hidden_table", new float[VOCAB * 4], VOCAB, 4)
                        .node("Gather", List.of("hidden_table", "input_ids"), List.of("last_hidden_state"))
                        .output("last_hidden_state", OnnxGraphWriter.FLOAT, "batch", "sequence", 4);
            }
            String entityOutput = multitask ? "entity_logits" : "logits";
            String sentimentOutput = multitask ? "sentiment_logits" : "logits";
            if (variant != Variant.SEQUENCE && variant != Variant.ENCODER) {
                graph.floatInitializer("entity_table", entityTable, VOCAB, ENTITY_LABELS.size())
                        .node("Gather", List.of("entity_table", "input_ids"), List.of(entityOutput))
                        .output(entityOutput, OnnxGraphWriter.FLOAT, "batch", "sequence", ENTITY_LABELS.size());
            }
            if (variant != Variant.TOKEN && variant != Variant.ENCODER) {
                graph.floatInitializer("sentiment_table", sentimentTable, VOCAB, 3)
                        .node("Gather", List.of("sentiment_table", "input_ids"), List.of("token_sentiment"))
                        .node("Cast", List.of("attention_mask"), List.of("mask_float"), "to", 1L)
                        .node("Unsqueeze", List.of("mask_float"), List.of("mask_3d"), "axes", new long[] {2})
                        .node("Mul", List.of("token_sentiment", "mask_3d"), List.of("masked_sentiment"))
                        .node("ReduceSum", List.of("masked_sentiment"), List.of(sentimentOutput),
                                "axes", new long[] {1}, "keepdims", 0L)
                        .output(sentimentOutput, OnnxGraphWriter.FLOAT, "batch", 3);
            }
            if (variant == Variant.SIGNALS) {
                // each head as the sentiment one: the masked sum over the tokens of a per-token table
                for (Map.Entry<String, float[]> head : signalTables.entrySet()) {
                    String headName = head.getKey();
                    int labels = ModelConfig.SIGNAL_LABELS.get(headName).size();
                    graph.floatInitializer(headName + "_table", head.getValue(), VOCAB, labels)
                            .node("Gather", List.of(headName + "_table", "input_ids"), List.of(headName + "_tokens"))
                            .node("Mul", List.of(headName + "_tokens", "mask_3d"), List.of(headName + "_masked"))
                            .node("ReduceSum", List.of(headName + "_masked"), List.of(headName + "_logits"),
                                    "axes", new long[] {1}, "keepdims", 0L)
                            .output(headName + "_logits", OnnxGraphWriter.FLOAT, "batch", labels);
                }
            }
            Files.write(dir.resolve("model.onnx"), graph.toBytes());
            Files.writeString(dir.resolve("config.json"), config(variant));
            for (Path file : List.of(dir.resolve("model.onnx"), dir.resolve("config.json"), dir.resolve("tokenizer.json"), dir)) {
                file.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(Variant variant) {
        String bert = "\"model_type\": \"bert\", \"hidden_size\": 384, \"max_position_embeddings\": 512, "
                + "\"pad_token_id\": 0, \"vocab_size\": 30522";
        switch (variant) {
            case ENCODER:
                return "{\"model_type\": \"bert\", \"hidden_size\": 4, \"vocab_size\": 30522}";
            case MULTITASK:
            case SIGNALS:
                StringBuilder signals = new StringBuilder();
                if (variant == Variant.SIGNALS) {
                    ModelConfig.SIGNAL_LABELS.forEach((head, labels) -> signals.append(", \"").append(head)
                            .append("\": {\"output\": \"").append(head).append("_logits\", \"labels\": ").append(json(labels))
                            .append(", \"pooling\": \"mean\"}"));
                }
                return "{" + bert + ", \"tidings\": {\"name\": \"fixture-lookup" + (variant == Variant.SIGNALS ? "-signals" : "")
                        + "\", \"version\": \"test\", "
                        + "\"max_length\": 128, \"inputs\": [\"input_ids\", \"attention_mask\", \"token_type_ids\"], "
                        + "\"heads\": {\"sentiment\": {\"output\": \"sentiment_logits\", \"labels\": "
                        + "[\"negative\", \"neutral\", \"positive\"]}, \"entities\": {\"output\": \"entity_logits\", "
                        + "\"labels\": " + json(ENTITY_LABELS) + ", \"scheme\": \"BIO\"}" + signals + "}}}";
            case SEQUENCE:
                return "{" + bert + ", \"_name_or_path\": \"user/sentiment-export\", "
                        + "\"id2label\": {\"0\": \"LABEL_0\", \"1\": \"LABEL_1\", \"2\": \"LABEL_2\"}}";
            default:
                StringBuilder id2label = new StringBuilder();
                for (int i = 0; i < ENTITY_LABELS.size(); i++) {
                    id2label.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"")
                            .append(ENTITY_LABELS.get(i).toLowerCase()).append('"');
                }
                return "{" + bert + ", \"_name_or_path\": \"user/ner-export\", \"id2label\": {" + id2label + "}}";
        }
    }

    private static String json(List<String> values) {
        return Arrays.toString(values.stream().map(v -> "\"" + v + "\"").toArray());
    }
}
