package io.tidings.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Does a model, run by the job's own runtime, give what its exporter measured? Reads the model
 * directory's {@code parity.json} (written by {@code models/training/export.py} and {@code
 * export_hf.py}) and, for each sample text, checks the token ids, every logit against the ONNX
 * outputs the exporter saw (within {@code onnx_tolerance}), and the label PyTorch chose (unless
 * PyTorch's own top-2 margin is within the documented quantization difference, where an int8 model
 * may legitimately flip). A mismatch here means the Java tokenizer or runtime sees the model
 * differently from Python: offsets, labels and scores would all be off.
 */
public final class ParityCheck {

    /** The outcome: the cases checked and every disagreement, described. */
    public record Result(int cases, int logitsCompared, List<String> problems) {
        public boolean passed() {
            return cases > 0 && problems.isEmpty();
        }

        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("parity: %d sample texts, %d logits compared: %s%n", cases, logitsCompared,
                    passed() ? "OK" : problems.isEmpty() ? "NO CASES" : problems.size() + " problem(s)"));
            problems.stream().limit(20).forEach(p -> out.append("  ").append(p).append('\n'));
            if (problems.size() > 20) {
                out.append("  … ").append(problems.size() - 20).append(" more\n");
            }
            return out.toString();
        }
    }

    private ParityCheck() {}

    /** Checks {@code model} against {@code parity.json} in its own directory. */
    public static Result check(TweetModel model) {
        return check(model, model.directory().resolve("parity.json"));
    }

    public static Result check(TweetModel model, Path parityJson) {
        if (!Files.isRegularFile(parityJson)) {
            throw new IllegalArgumentException("no parity.json at " + parityJson
                    + " (export the model with models/training/export_hf.py to get one)");
        }
        JsonNode parity;
        try {
            parity = new ObjectMapper().readTree(parityJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + parityJson, e);
        }
        double onnxTolerance = parity.path("onnx_tolerance").asDouble(1e-3);
        double pytorchTolerance = parity.path("pytorch_tolerance").asDouble(0);
        List<String> problems = new ArrayList<>();
        int cases = 0;
        int compared = 0;
        for (JsonNode sample : parity.path("cases")) {
            cases++;
            String text = sample.path("text").asText();
            String label = abbreviate(text);
            // the inputs first: token ids, and the token types of models fed casing (ModelConfig.TokenTypes)
            String inputProblem = sameInputs("token ids", label, model.tokenIds(text), sample.path("input_ids"));
            if (inputProblem == null && sample.has("token_type_ids")) {
                inputProblem = sameInputs("token type ids", label, model.tokenTypeIds(text), sample.path("token_type_ids"));
            }
            if (inputProblem != null) {
                problems.add(inputProblem);
                continue;
            }
            Map<String, Object> logits = model.logits(text);
            var outputs = sample.path("onnx").fieldNames();
            while (outputs.hasNext()) {
                String output = outputs.next();
                Object ours = logits.get(output);
                if (ours == null) {
                    problems.add("output " + output + " of parity.json is not produced by the model (it has "
                            + logits.keySet() + ")");
                    continue;
                }
                float[][] rows = ours instanceof float[][] matrix ? matrix : new float[][] {(float[]) ours};
                JsonNode onnx = sample.path("onnx").path(output);
                JsonNode pytorch = sample.path("pytorch").path(output);
                boolean perToken = ours instanceof float[][];
                if (perToken && rows.length != onnx.size()) {
                    problems.add(String.format("%s of \"%s\": %d tokens, exporter had %d", output, label, rows.length,
                            onnx.size()));
                    continue;
                }
                for (int t = 0; t < rows.length; t++) {
                    JsonNode expected = perToken ? onnx.get(t) : onnx;
                    for (int k = 0; k < rows[t].length; k++) {
                        compared++;
                        double difference = Math.abs(rows[t][k] - expected.get(k).asDouble());
                        if (!(difference <= onnxTolerance)) {
                            problems.add(String.format("%s%s[%d] of \"%s\": %.5f, exporter's ONNX %.5f (tolerance %s)",
                                    output, perToken ? "[" + t + "]" : "", k, label, rows[t][k],
                                    expected.get(k).asDouble(), onnxTolerance));
                        }
                    }
                    JsonNode reference = perToken ? pytorch.path(t) : pytorch;
                    if (reference.size() == rows[t].length && !sameChoice(rows[t], reference, pytorchTolerance)) {
                        problems.add(String.format("%s%s of \"%s\": label %d, PyTorch chose %d", output,
                                perToken ? "[" + t + "]" : "", label, argmax(rows[t]), argmax(reference)));
                    }
                }
            }
        }
        return new Result(cases, compared, List.copyOf(problems));
    }

    /** Same top label as PyTorch, where PyTorch's own margin is wider than the allowed difference. */
    private static boolean sameChoice(float[] ours, JsonNode reference, double tolerance) {
        int best = argmax(reference);
        double second = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < reference.size(); k++) {
            if (k != best) {
                second = Math.max(second, reference.get(k).asDouble());
            }
        }
        double margin = reference.get(best).asDouble() - second;
        return margin <= 2 * tolerance || argmax(ours) == best;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int argmax(JsonNode values) {
        int best = 0;
        for (int k = 1; k < values.size(); k++) {
            if (values.get(k).asDouble() > values.get(best).asDouble()) {
                best = k;
            }
        }
        return best;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** {@code null} when the runtime fed what the exporter fed, else the problem. */
    private static String sameInputs(String what, String label, long[] ours, JsonNode exporter) {
        long[] expected = new long[exporter.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = exporter.get(i).asLong();
        }
        return Arrays.equals(ours, expected) ? null : String.format("%s of \"%s\": %s, exporter had %s", what, label,
                Arrays.toString(ours), Arrays.toString(expected));
    }
}
