package io.tidings.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tidings.records.EntityMention;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tidings model loaded for inference: one ONNX Runtime session and the model's own Hugging Face
 * tokenizer. Scores sentiment (3 classes) and named entities (BIO tags decoded to char spans) for
 * a list of texts in one call.
 *
 * <p><b>Batching.</b> {@link #predict} tokenizes every text, sorts them by token count, runs
 * batches of {@code batchSize} padded only to the longest text of their batch (length bucketing:
 * a tweet of 12 tokens is not padded to 128 because a long one shares its call), and returns the
 * results in input order. With attention masks, padding does not change the results.
 *
 * <p><b>Text.</b> The model sees the original text, without preprocessing. Sequences are truncated
 * to the model's {@code max_length} tokens (special tokens included): sentiment is judged on the
 * first ~126 word pieces and <em>entities after the truncation point are not found</em>. Before
 * tokenizing, lone surrogates become U+FFFD and NUL chars spaces, and, for a model that asks for
 * it ({@link ModelConfig.Urls#SHORTEN}), each URL past its first four chars becomes spaces: all
 * one char for one char, so offsets stay valid. Nothing else is changed. Any string, including
 * empty, emoji-only, very long or malformed UTF-16, gets a prediction; {@code null} is treated as
 * empty.
 *
 * <p><b>Threads.</b> One instance is safe for concurrent callers: an ONNX Runtime session may run
 * from several threads at once and the Rust tokenizer is immutable. The session uses
 * {@code intraOpThreads} threads per call (not spinning while idle), one inter-op thread, all graph optimizations, and the
 * CUDA execution provider when this ONNX Runtime build has it (CPU otherwise). Share one instance
 * per JVM through {@link SharedModels}.
 */
public final class TweetModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TweetModel.class);

    /**
     * Default number of texts per ONNX Runtime call. Small batches of texts sorted by length pad
     * almost nothing and keep each call's activations in the CPU caches: on 2 cores the bundled
     * model scores about 10% more posts per second in batches of 8 than of 32, in less memory
     * (models/README.md, "Figures").
     */
    public static final int DEFAULT_BATCH_SIZE = 8;

    private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final Path directory;
    private final ModelConfig config;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final List<String> inputNames;
    private final Set<String> requestedOutputs;
    private final int batchSize;
    private final String executionProvider;

    private TweetModel(Path directory, ModelConfig config, OrtEnvironment environment, OrtSession session,
            HuggingFaceTokenizer tokenizer, List<String> inputNames, int batchSize, String executionProvider) {
        this.directory = directory;
        this.config = config;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.inputNames = inputNames;
        this.batchSize = batchSize;
        this.executionProvider = executionProvider;
        Set<String> outputs = new LinkedHashSet<>();
        if (config.sentiment() != null) {
            outputs.add(config.sentiment().output());
        }
        if (config.entities() != null) {
            outputs.add(config.entities().output());
        }
        this.requestedOutputs = outputs;
    }

    /** Loads a model with one intra-op thread per available processor and batches of {@value #DEFAULT_BATCH_SIZE}. */
    public static TweetModel load(ModelLocation location) {
        return load(location, Runtime.getRuntime().availableProcessors(), DEFAULT_BATCH_SIZE);
    }

    /**
     * Loads the model at {@code location}.
     *
     * @param intraOpThreads ONNX Runtime threads used by one inference call
     * @param batchSize texts per ONNX Runtime call
     * @throws IllegalArgumentException when the directory is not a usable tidings model (the message
     *     says why, e.g. an encoder whose graph has no classification outputs)
     */
    public static TweetModel load(ModelLocation location, int intraOpThreads, int batchSize) {
        if (intraOpThreads < 1 || batchSize < 1) {
            throw new IllegalArgumentException("intraOpThreads and batchSize must be positive");
        }
        long started = System.nanoTime();
        Path dir = location.resolve();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        HuggingFaceTokenizer tokenizer = null;
        try {
            String provider = "CPU";
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // No busy-waiting between ops: a TaskManager shares its cores with other operators and
            // slots, where spinning intra-op threads burn CPU the rest of the job needs.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                try {
                    options.addCUDA(0);
                    provider = "CUDA";
                } catch (OrtException e) {
                    LOG.warn("CUDA execution provider present but unusable, using CPU: {}", e.getMessage());
                }
            }
            session = env.createSession(dir.resolve("model.onnx").toString(), options);

            Map<String, Integer> outputRanks = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
                if (output.getValue().getInfo() instanceof TensorInfo) {
                    outputRanks.put(output.getKey(), ((TensorInfo) output.getValue().getInfo()).getShape().length);
                }
            }
            ModelConfig config = ModelConfig.read(dir, outputRanks);

            List<String> inputNames = new ArrayList<>(session.getInputNames());
            for (String input : inputNames) {
                if (!KNOWN_INPUTS.contains(input)) {
                    throw new IllegalArgumentException("Model " + config.name() + ": graph input '" + input
                            + "' is not one of " + KNOWN_INPUTS);
                }
            }
            if (!inputNames.contains("input_ids")) {
                throw new IllegalArgumentException("Model " + config.name() + ": graph has no input_ids input: "
                        + inputNames);
            }
            Map<String, String> tokenizerOptions = new HashMap<>();
            tokenizerOptions.put("addSpecialTokens", "true");
            tokenizerOptions.put("truncation", "true");
            tokenizerOptions.put("padding", "false");
            tokenizerOptions.put("maxLength", Integer.toString(config.maxLength()));
            TokenizerLibrary.load();
            tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), tokenizerOptions);

            TweetModel model = new TweetModel(dir, config, env, session, tokenizer, inputNames, batchSize, provider);
            LOG.info("Loaded model {} from {} in {} ms ({} threads, {}, batches of {})", config.nameAndVersion(), dir,
                    (System.nanoTime() - started) / 1_000_000, intraOpThreads, provider, batchSize);
            return model;
        } catch (OrtException e) {
            closeQuietly(session, tokenizer);
            throw new IllegalArgumentException("ONNX Runtime cannot load " + dir.resolve("model.onnx") + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(session, tokenizer);
            throw new UncheckedIOException("Cannot read tokenizer of " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(session, tokenizer);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session, HuggingFaceTokenizer tokenizer) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The local directory the model was loaded from. */
    public Path directory() {
        return directory;
    }

    /** {@code CUDA} or {@code CPU}. */
    public String executionProvider() {
        return executionProvider;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of tokens (special tokens included, after truncation) the model sees for a text. */
    public int tokenCount(String text) {
        return tokenize(text).ids.length;
    }

    /** Convenience for one text; batch with {@link #predict(List)} wherever there are several. */
    public ModelPrediction predict(String text) {
        return predict(List.of(text == null ? "" : text)).get(0);
    }

    /**
     * Scores every text; the result has one prediction per text, in the same order.
     *
     * @throws IllegalStateException when ONNX Runtime fails (not for any text content)
     */
    public List<ModelPrediction> predict(List<String> texts) {
        int n = texts.size();
        TokenizedText[] tokenized = new TokenizedText[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            tokenized[i] = tokenize(texts.get(i));
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> tokenized[i].ids.length));
        ModelPrediction[] predictions = new ModelPrediction[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            TokenizedText[] batch = new TokenizedText[to - from];
            for (int j = from; j < to; j++) {
                batch[j - from] = tokenized[order[j]];
            }
            ModelPrediction[] results = runBatch(batch);
            for (int j = from; j < to; j++) {
                predictions[order[j]] = results[j - from];
            }
        }
        return Arrays.asList(predictions);
    }

    /** Raw logits of one text, for parity checks against the exporter's numbers. */
    Map<String, Object> logits(String text) {
        TokenizedText tokenized = tokenize(text);
        Map<String, Object> result = new LinkedHashMap<>();
        try (OrtSession.Result output = run(new TokenizedText[] {tokenized}, tokenized.ids.length)) {
            for (String name : requestedOutputs) {
                Object value = output.get(name).map(TweetModel::value).orElseThrow();
                result.put(name, java.lang.reflect.Array.get(value, 0));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed", e);
        }
        return result;
    }

    /** The token ids the model sees for a text (special tokens included, truncated). */
    long[] tokenIds(String text) {
        return tokenize(text).ids.clone();
    }

    /** The token type ids the model is fed for a text (see {@link ModelConfig.TokenTypes}). */
    long[] tokenTypeIds(String text) {
        return tokenize(text).typeIds.clone();
    }

    private static Object value(OnnxValue value) {
        try {
            return value.getValue();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private ModelPrediction[] runBatch(TokenizedText[] batch) {
        int longest = 0;
        for (TokenizedText text : batch) {
            longest = Math.max(longest, text.ids.length);
        }
        ModelPrediction[] results = new ModelPrediction[batch.length];
        try (OrtSession.Result output = run(batch, longest)) {
            float[][] sentimentLogits = config.sentiment() == null ? null
                    : (float[][]) output.get(config.sentiment().output()).orElseThrow().getValue();
            float[][][] entityLogits = config.entities() == null ? null
                    : (float[][][]) output.get(config.entities().output()).orElseThrow().getValue();
            for (int b = 0; b < batch.length; b++) {
                String sentiment = null;
                double[] probabilities = null;
                if (sentimentLogits != null) {
                    double[] p = softmax(sentimentLogits[b]);
                    probabilities = new double[3];
                    List<String> labels = config.sentiment().labels();
                    for (int k = 0; k < 3; k++) {
                        probabilities[ModelConfig.SENTIMENT_LABELS.indexOf(labels.get(k))] = p[k];
                    }
                    sentiment = labels.get(argmax(p));
                }
                List<EntityMention> entities = entityLogits == null ? List.of() : entities(batch[b], entityLogits[b]);
                results[b] = new ModelPrediction(sentiment, probabilities, entities);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.length + " texts", e);
        }
        return results;
    }

    private OrtSession.Result run(TokenizedText[] batch, int length) throws OrtException {
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
                        long v;
                        switch (name) {
                            case "input_ids":
                                v = real ? text.ids[t] : config.padTokenId();
                                break;
                            case "attention_mask":
                                v = real ? 1 : 0;
                                break;
                            default:
                                v = real ? text.typeIds[t] : 0;
                        }
                        data[offset + t] = v;
                    }
                }
                inputs.put(name, OnnxTensor.createTensor(environment, LongBuffer.wrap(data), new long[] {rows, length}));
            }
            return session.run(inputs, requestedOutputs);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private List<EntityMention> entities(TokenizedText text, float[][] logits) {
        List<String> labels = config.entities().labels();
        int tokens = text.ids.length;
        String[] tags = new String[tokens];
        double[] probabilities = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            if (text.special[t] || text.starts[t] < 0) {
                continue;
            }
            double[] p = softmax(logits[t]);
            int best = argmax(p);
            tags[t] = labels.get(best);
            probabilities[t] = p[best];
        }
        return BioSpanDecoder.decode(text.text, tags, probabilities, text.starts, text.ends);
    }

    private TokenizedText tokenize(String original) {
        String text = original == null ? "" : original;
        String safe = TokenizedText.tokenizerSafe(text);
        if (config.urls() == ModelConfig.Urls.SHORTEN) {
            safe = TokenizedText.shortenUrls(safe);
        }
        Encoding encoding = tokenizer.encode(safe);
        return new TokenizedText(text, safe, encoding, config.tokenTypes());
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Releases the native session and tokenizer. Use {@link SharedModels} rather than closing a shared model. */
    @Override
    public void close() {
        closeQuietly(session, tokenizer);
    }

    @Override
    public String toString() {
        return "TweetModel{" + config.nameAndVersion() + " from " + directory + ", " + executionProvider + "}";
    }

    /** One text as the model sees it: token ids and each token's char span in the original text. */
    static final class TokenizedText {
        final String text;
        final long[] ids;
        final long[] typeIds;
        final boolean[] special;
        final int[] starts;
        final int[] ends;

        TokenizedText(String text, String safe, Encoding encoding, ModelConfig.TokenTypes tokenTypes) {
            this.text = text;
            this.ids = encoding.getIds();
            long[] types = encoding.getTypeIds();
            this.typeIds = types.length == ids.length ? types : new long[ids.length];
            long[] specialMask = encoding.getSpecialTokenMask();
            CharSpan[] spans = encoding.getCharTokenSpans();
            this.special = new boolean[ids.length];
            this.starts = new int[ids.length];
            this.ends = new int[ids.length];
            int[] charOfCodePoint = charOffsetsOfCodePoints(safe);
            int codePoints = charOfCodePoint.length - 1;
            for (int t = 0; t < ids.length; t++) {
                special[t] = specialMask.length == ids.length && specialMask[t] != 0;
                CharSpan span = spans != null && t < spans.length ? spans[t] : null;
                if (span == null || span.getStart() < 0 || span.getEnd() > codePoints || span.getStart() >= span.getEnd()) {
                    starts[t] = -1;
                    ends[t] = -1;
                } else {
                    // DJL reports offsets in code points; the records want Java char offsets.
                    starts[t] = charOfCodePoint[span.getStart()];
                    ends[t] = charOfCodePoint[span.getEnd()];
                }
            }
            if (tokenTypes == ModelConfig.TokenTypes.CASING) {
                for (int t = 0; t < ids.length; t++) {
                    typeIds[t] = !special[t] && starts[t] >= 0 && Character.isUpperCase(text.codePointAt(starts[t]))
                            ? 1 : 0;
                }
            }
        }

        /** {@code result[i]} is the char index of code point {@code i}; the last entry is the length. */
        static int[] charOffsetsOfCodePoints(String text) {
            int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
            int c = 0;
            for (int i = 0; i < text.length(); ) {
                offsets[c++] = i;
                i += Character.charCount(text.codePointAt(i));
            }
            offsets[c] = text.length();
            return offsets;
        }

        /**
         * A URL as RFC 3986 spells it. ASCII only, so that it has as many chars as code points and the
         * exporter's Python reads the same spans ({@code common.URL}).
         */
        private static final Pattern URL = Pattern.compile(
                "\\b(?:https?://|www\\.)[a-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

        /** Each URL keeps its first four chars, the rest become spaces ({@link ModelConfig.Urls#SHORTEN}). */
        static String shortenUrls(String text) {
            Matcher url = URL.matcher(text);
            if (!url.find()) {
                return text;
            }
            char[] chars = text.toCharArray();
            do {
                Arrays.fill(chars, url.start() + 4, url.end(), ' ');
            } while (url.find());
            return new String(chars);
        }

        /**
         * Replaces what cannot cross into the Rust tokenizer intact (lone surrogates, NUL) with one
         * char each, so that char and code point offsets stay those of the original text.
         */
        static String tokenizerSafe(String text) {
            StringBuilder out = null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                char replacement = 0;
                boolean replace = false;
                if (c == 0) {
                    replacement = ' ';
                    replace = true;
                } else if (Character.isHighSurrogate(c)) {
                    if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        if (out != null) {
                            out.append(c).append(text.charAt(i + 1));
                        }
                        i++;
                        continue;
                    }
                    replacement = '\uFFFD';
                    replace = true;
                } else if (Character.isLowSurrogate(c)) {
                    replacement = '\uFFFD';
                    replace = true;
                }
                if (replace && out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                if (out != null) {
                    out.append(replace ? replacement : c);
                }
            }
            return out == null ? text : out.toString();
        }
    }
}
