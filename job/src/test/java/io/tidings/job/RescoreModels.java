package io.tidings.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.models.ModelConfig;
import io.tidings.models.ModelLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A second model for rescore tests: the bundled model's files under another version, with its
 * sentiment labels in reverse order (what it calls positive the bundled model calls negative) and
 * no entity head, so its answers differ from the bundled model's in a way a test can predict.
 */
final class RescoreModels {
    private RescoreModels() {}

    static final String VERSION = "flipped-test";
    /** The model_version the bundled model writes (name@version of its config): the lake's model before a rescore. */
    static final String BUNDLED = bundledVersion();
    /** The model_version the flipped model writes. */
    static final String FLIPPED = "tweet-multitask@" + VERSION;

    /** Writes the model into {@code dir} and returns it; its model_version is {@code tweet-multitask@flipped-test}. */
    static Path flipped(Path dir) throws IOException {
        copyBundled(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        ObjectNode tidings = (ObjectNode) config.get("tidings");
        tidings.put("version", VERSION);
        ObjectNode heads = (ObjectNode) tidings.get("heads");
        ArrayNode labels = (ArrayNode) heads.get("sentiment").get("labels");
        ArrayNode reversed = json.createArrayNode();
        for (int i = labels.size() - 1; i >= 0; i--) {
            reversed.add(labels.get(i));
        }
        ((ObjectNode) heads.get("sentiment")).set("labels", reversed);
        heads.remove("entities");
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        // parity.json checks the bundled model's answers: not this model's.
        Files.deleteIfExists(dir.resolve("parity.json"));
        return dir;
    }

    /**
     * Writes into {@code dir} the bundled model under its own version with issue 21's heads left out
     * of its config (the graph still has them; the runtime then does not fetch them): what a runtime
     * before those heads made of the same model. Returns {@code dir}.
     */
    static Path withoutSignals(Path dir) throws IOException {
        return withSignalsOnly(dir);
    }

    /**
     * Writes into {@code dir} the bundled model under its own version with only the {@code kept} heads
     * of issue 21 in its config ({@code "emotion"}: a config of the same version listing fewer heads
     * than the bundle has). Returns {@code dir}.
     */
    static Path withSignalsOnly(Path dir, String... kept) throws IOException {
        copyBundled(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        ObjectNode heads = (ObjectNode) config.get("tidings").get("heads");
        List<String> dropped = new ArrayList<>(ModelConfig.SIGNAL_LABELS.keySet());
        dropped.removeAll(List.of(kept));
        if (dropped.size() + kept.length != ModelConfig.SIGNAL_LABELS.size()) {
            throw new IllegalArgumentException("not a signal head among " + List.of(kept) + ": " + ModelConfig.SIGNAL_LABELS.keySet());
        }
        heads.remove(dropped);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private static String bundledVersion() {
        try {
            Path config = ModelLocation.parse("classpath:tweet-multitask").resolve().resolve("config.json");
            JsonNode tidings = new ObjectMapper().readTree(config.toFile()).get("tidings");
            return tidings.get("name").asText() + "@" + tidings.get("version").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyBundled(Path dir) throws IOException {
        Path bundled = ModelLocation.parse("classpath:tweet-multitask").resolve();
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(bundled)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
        }
    }

    /** The sentiment the flipped model gives a post the bundled model gave {@code sentiment}. */
    static String flip(String sentiment) {
        return switch (sentiment) {
            case "positive" -> "negative";
            case "negative" -> "positive";
            default -> sentiment;
        };
    }
}
