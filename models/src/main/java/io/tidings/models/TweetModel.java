package io.tidings.models;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tidings model loaded for inference: one ONNX Runtime session ({@link InferenceSession}), the
 * model's own Hugging Face tokenizer ({@link TweetTokenizer}) and the decoding of its logits
 * ({@link PredictionDecoder}). Scores sentiment (3 classes), named entities (BIO tags decoded
 * to char spans) and, for a model with those heads, issue 21's signals (emotion, offensive, hate,
 * irony) for a list of texts in one call; this class loads the three and batches.
 *
 * <p><b>Batching.</b> {@link #predict} tokenizes every text, sorts them by token count, runs
 * batches of {@code batchSize} padded only to the longest text of their batch (length bucketing:
 * a tweet of 12 tokens is not padded to 128 because a long one shares its call), and returns the
 * results in input order. With attention masks, padding does not change the results.
 *
 * <p><b>Text.</b> The model sees the original text, without preprocessing. Sequences are truncated
 * to the model's {@code max_length} tokens (special tokens included): sentiment is judged on the
 * first ~126 word pieces and <em>entities after the truncation point are not found</em>. The
 * tokenizer changes a few chars one for one (see {@link TweetTokenizer}), so offsets stay valid;
 * nothing else is changed. Any string, including
 * empty, emoji-only, very long or malformed UTF-16, gets a prediction; {@code null} is treated as
 * empty.
 *
 * <p><b>Threads.</b> One instance is safe for concurrent callers: an ONNX Runtime session may run
 * from several threads at once and the Rust tokenizer is immutable. The session uses
 * {@code intraOpThreads} threads per call ({@link InferenceSession}). Share one instance per JVM
 * through {@link SharedModels}.
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

    private final Path directory;
    private final ModelConfig config;
    private final InferenceSession session;
    private final TweetTokenizer tokenizer;
    private final PredictionDecoder decoder;
    private final Set<String> requestedOutputs;
    private final int batchSize;

    private TweetModel(Path directory, ModelConfig config, InferenceSession session, TweetTokenizer tokenizer, int batchSize) {
        this.directory = directory;
        this.config = config;
        this.session = session;
        this.tokenizer = tokenizer;
        this.decoder = new PredictionDecoder(config);
        this.batchSize = batchSize;
        Set<String> outputs = new LinkedHashSet<>();
        if (config.sentiment() != null) {
            outputs.add(config.sentiment().output());
        }
        if (config.entities() != null) {
            outputs.add(config.entities().output());
        }
        // Issue 21's heads are outputs of the same graph: fetched in the same call when the config
        // names them (the encoder runs once), and not at all for a model without them.
        config.signals().values().forEach(head -> outputs.add(head.output()));
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
        InferenceSession session = null;
        try {
            session = InferenceSession.open(dir.resolve("model.onnx"), intraOpThreads);
            ModelConfig config = ModelConfig.read(dir, session.outputRanks());
            session.checkInputs(config.name());
            TweetModel model = new TweetModel(dir, config, session, TweetTokenizer.load(dir, config), batchSize);
            LOG.info("Loaded model {} from {} in {} ms ({} threads, {}, batches of {})", config.nameAndVersion(), dir,
                    (System.nanoTime() - started) / 1_000_000, intraOpThreads, session.executionProvider(), batchSize);
            return model;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IllegalArgumentException("ONNX Runtime cannot load " + dir.resolve("model.onnx") + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void closeQuietly(InferenceSession session) {
        if (session != null) {
            session.close();
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
        return session.executionProvider();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of tokens (special tokens included, after truncation) the model sees for a text. */
    public int tokenCount(String text) {
        return tokenizer.tokenize(text).ids.length;
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
            tokenized[i] = tokenizer.tokenize(texts.get(i));
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
        TokenizedText tokenized = tokenizer.tokenize(text);
        Map<String, Object> result = new LinkedHashMap<>();
        try (OrtSession.Result output = session.run(new TokenizedText[] {tokenized}, tokenized.ids.length,
                config.padTokenId(), requestedOutputs)) {
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
        return tokenizer.tokenize(text).ids.clone();
    }

    /** The token type ids the model is fed for a text (see {@link ModelConfig.TokenTypes}). */
    long[] tokenTypeIds(String text) {
        return tokenizer.tokenize(text).typeIds.clone();
    }

    private static Object value(OnnxValue value) {
        try {
            return value.getValue();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One batch, padded to its longest text (length bucketing keeps that close to every text's length). */
    private ModelPrediction[] runBatch(TokenizedText[] batch) {
        int longest = 0;
        for (TokenizedText text : batch) {
            longest = Math.max(longest, text.ids.length);
        }
        ModelPrediction[] results = new ModelPrediction[batch.length];
        try (OrtSession.Result output = session.run(batch, longest, config.padTokenId(), requestedOutputs)) {
            float[][] sentimentLogits = config.sentiment() == null ? null
                    : (float[][]) output.get(config.sentiment().output()).orElseThrow().getValue();
            float[][][] entityLogits = config.entities() == null ? null
                    : (float[][][]) output.get(config.entities().output()).orElseThrow().getValue();
            Map<String, float[][]> signalLogits = new LinkedHashMap<>();
            for (Map.Entry<String, ModelConfig.Head> head : config.signals().entrySet()) {
                float[][] logits = (float[][]) output.get(head.getValue().output()).orElseThrow().getValue();
                if (logits.length != batch.length || logits[0].length != head.getValue().labels().size()) {
                    // A graph whose head has other dimensions than its labels: say so rather than read past them.
                    throw new IllegalStateException("Model " + config.name() + ": output " + head.getValue().output() + " is ["
                            + logits.length + ", " + logits[0].length + "] for a batch of " + batch.length + ", expected ["
                            + batch.length + ", " + head.getValue().labels().size() + "] (labels " + head.getValue().labels() + ")");
                }
                signalLogits.put(head.getKey(), logits);
            }
            for (int b = 0; b < batch.length; b++) {
                Map<String, float[]> signals = new LinkedHashMap<>();
                for (Map.Entry<String, float[][]> head : signalLogits.entrySet()) {
                    signals.put(head.getKey(), head.getValue()[b]);
                }
                results[b] = decoder.decode(batch[b], sentimentLogits == null ? null : sentimentLogits[b],
                        entityLogits == null ? null : entityLogits[b], signals);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.length + " texts", e);
        }
        return results;
    }

    /** Releases the native session and tokenizer. Use {@link SharedModels} rather than closing a shared model. */
    @Override
    public void close() {
        session.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "TweetModel{" + config.nameAndVersion() + " from " + directory + ", " + session.executionProvider() + "}";
    }
}
