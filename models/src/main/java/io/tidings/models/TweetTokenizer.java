package io.tidings.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's own Hugging Face tokenizer ({@code tokenizer.json}), with the text preparation the model
 * asks for: lone surrogates become U+FFFD and NUL chars spaces, and, for a model that asks for it
 * ({@link ModelConfig.Urls#SHORTEN}), each URL past its first four chars becomes spaces — all one
 * char for one char, so offsets stay those of the original text. Special tokens are added and
 * sequences truncated to the model's {@code max_length}. Immutable and safe for concurrent callers
 * (the Rust tokenizer is).
 */
final class TweetTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final ModelConfig config;

    private TweetTokenizer(HuggingFaceTokenizer tokenizer, ModelConfig config) {
        this.tokenizer = tokenizer;
        this.config = config;
    }

    /** Reads {@code tokenizer.json} of the model directory {@code dir}. */
    static TweetTokenizer load(Path dir, ModelConfig config) {
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "true");
        options.put("truncation", "true");
        options.put("padding", "false");
        options.put("maxLength", Integer.toString(config.maxLength()));
        TokenizerLibrary.load();
        try {
            return new TweetTokenizer(HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), options), config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer of " + dir, e);
        }
    }

    /** The text as the model sees it; {@code null} is read as empty. */
    TokenizedText tokenize(String original) {
        String text = original == null ? "" : original;
        String safe = TokenizedText.tokenizerSafe(text);
        if (config.urls() == ModelConfig.Urls.SHORTEN) {
            safe = TokenizedText.shortenUrls(safe);
        }
        Encoding encoding = tokenizer.encode(safe);
        return new TokenizedText(text, safe, encoding, config.tokenTypes());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
