package io.tidings.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session of a model graph and the way it is fed: {@code intraOpThreads} threads
 * per call (not spinning while idle), one inter-op thread, all graph optimizations, and the CUDA
 * execution provider when this ONNX Runtime build has it and {@code TIDINGS_EXECUTION_PROVIDER}
 * does not say {@code cpu} (CPU otherwise; {@link #useCuda}). A session may run from several
 * threads at once.
 */
final class InferenceSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);

    /** The graph inputs a tidings model may have; anything else is not a model this runtime can feed. */
    static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final List<String> inputNames;
    private final String executionProvider;

    private InferenceSession(OrtEnvironment environment, OrtSession session, String executionProvider) {
        this.environment = environment;
        this.session = session;
        this.inputNames = new ArrayList<>(session.getInputNames());
        this.executionProvider = executionProvider;
    }

    /** Opens {@code model}, an ONNX file; {@link #close()} it when the model is done. */
    static InferenceSession open(Path model, int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String provider = "CPU";
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // No busy-waiting between ops: a TaskManager shares its cores with other operators and
        // slots, where spinning intra-op threads burn CPU the rest of the job needs.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        if (useCuda(askedProvider(), OrtEnvironment.getAvailableProviders())) {
            try {
                options.addCUDA(0);
                provider = "CUDA";
            } catch (OrtException e) {
                LOG.warn("CUDA execution provider present but unusable, using CPU: {}", e.getMessage());
            }
        }
        return new InferenceSession(env, env.createSession(model.toString(), options), provider);
    }

    /** The setting that asks for an execution provider: {@code auto} (the default), {@code cuda} or {@code cpu}. */
    static final String PROVIDER_PROPERTY = "tidings.executionProvider";
    static final String PROVIDER_VARIABLE = "TIDINGS_EXECUTION_PROVIDER";

    /** What was asked for: the system property, else the environment variable, else {@code auto}. */
    static String askedProvider() {
        String asked = System.getProperty(PROVIDER_PROPERTY);
        if (asked == null || asked.isBlank()) {
            asked = System.getenv(PROVIDER_VARIABLE);
        }
        return asked == null || asked.isBlank() ? "auto" : asked.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether to run on CUDA: {@code auto} when this ONNX Runtime build has the CUDA provider (the
     * {@code onnxruntime_gpu} artifact; the default {@code onnxruntime} has only the CPU's),
     * {@code cuda} the same but saying so when it cannot (the model then runs on the CPU rather than
     * not at all), {@code cpu} never. Anything else is refused by name.
     */
    static boolean useCuda(String asked, Set<OrtProvider> available) {
        boolean present = available.contains(OrtProvider.CUDA);
        return switch (asked) {
            case "auto" -> present;
            case "cpu" -> false;
            case "cuda" -> {
                if (!present) {
                    LOG.warn("{}=cuda, but this ONNX Runtime build has no CUDA execution provider (only {}): running on the CPU;"
                            + " the onnxruntime_gpu artifact, with CUDA and cuDNN installed, has it", PROVIDER_VARIABLE, available);
                }
                yield present;
            }
            default -> throw new IllegalArgumentException(PROVIDER_VARIABLE + " (or -D" + PROVIDER_PROPERTY + ") must be auto, cuda or cpu, not '"
                    + asked + "'");
        };
    }

    /** Each tensor output's name and rank, as {@link ModelConfig#read} checks them against the config. */
    Map<String, Integer> outputRanks() throws OrtException {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
            if (output.getValue().getInfo() instanceof TensorInfo tensor) {
                ranks.put(output.getKey(), tensor.getShape().length);
            }
        }
        return ranks;
    }

    /** Refuses a graph this runtime cannot feed, naming the model. */
    void checkInputs(String modelName) {
        for (String input : inputNames) {
            if (!KNOWN_INPUTS.contains(input)) {
                throw new IllegalArgumentException("Model " + modelName + ": graph input '" + input + "' is not one of "
                        + KNOWN_INPUTS);
            }
        }
        if (!inputNames.contains("input_ids")) {
            throw new IllegalArgumentException("Model " + modelName + ": graph has no input_ids input: " + inputNames);
        }
    }

    /** {@code CUDA} or {@code CPU}. */
    String executionProvider() {
        return executionProvider;
    }

    /**
     * Runs one batch padded to {@code length} tokens: {@code padTokenId} past each text's end, an
     * attention mask of 1 on its tokens and 0 on padding (so padding does not change the results).
     */
    OrtSession.Result run(TokenizedText[] batch, int length, long padTokenId, Set<String> outputs) throws OrtException {
        int rows = batch.length;
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (String name : inputNames) {
                long[] data = new long[rows * length];
                for (int b = 0; b < rows; b++) {
                    TokenizedText text = batch[b];
                    int offset = b * length;
                    for (int t = 0; t < length; t++) {
                        boolean real = t < text.ids.length;
                        data[offset + t] = switch (name) {
                            case "input_ids" -> real ? text.ids[t] : padTokenId;
                            case "attention_mask" -> real ? 1 : 0;
                            default -> real ? text.typeIds[t] : 0;
                        };
                    }
                }
                inputs.put(name, OnnxTensor.createTensor(environment, LongBuffer.wrap(data), new long[] {rows, length}));
            }
            return session.run(inputs, outputs);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX Runtime session failed: {}", e.getMessage());
        }
    }
}
