package io.tidings.models;

import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fills a batch of posts' enrichment fields: language for every post, then sentiment and entities
 * for the English ones in a single batched {@link TweetModel#predict} call. Not tied to Flink: the
 * async batching operator hands it whatever batch it has collected.
 *
 * <p><b>Which posts are scored.</b> The bundled model is English-only, so a post is scored when
 * its text is not blank ({@link #hasVisibleText}: zero-width and other invisible characters count
 * as blank) and
 * <ul>
 *   <li>the identified language is {@code en} with a confidence of at least
 *       {@code minEnglishConfidence} (default {@value #DEFAULT_MIN_ENGLISH_CONFIDENCE}), or</li>
 *   <li>the language is undetermined (too short, or identified below that confidence) and the
 *       platform's declared {@code lang} is English ({@code en}, {@code en-GB}...) or absent:
 *       short posts such as "lol ok" from an English stream are worth a sentiment; X's
 *       {@code und} or another declared language is not scored.</li>
 * </ul>
 * A post identified as another language with at least that confidence is not scored, whatever the
 * platform declared. Posts not scored keep {@code sentiment == null} and no entities; no post is
 * ever dropped.
 *
 * <p>Sets {@code langDetected}/{@code langConfidence} (both {@code null} when undetermined),
 * {@code sentiment}, {@code sentimentScore}, {@code pNegative}/{@code pNeutral}/{@code pPositive},
 * {@code modelVersion} ({@code name@version}), {@code entities} (offsets into the original
 * {@code post.text}) and, from a model with issue 21's heads, {@code emotion}/{@code emotionScore},
 * {@code offensive}, {@code hate}, {@code irony} and their scores (null from a model without them). Thread-safe if its model and identifier are (the shipped ones are); it does
 * not close them.
 */
public final class PostEnricher {

    /** Minimum language-identification margin for "this is English" (and for "this is not"). */
    public static final double DEFAULT_MIN_ENGLISH_CONFIDENCE = 0.05;

    private final TweetModel model;
    private final LanguageIdentifier languageIdentifier;
    private final double minEnglishConfidence;

    public PostEnricher(TweetModel model, LanguageIdentifier languageIdentifier) {
        this(model, languageIdentifier, DEFAULT_MIN_ENGLISH_CONFIDENCE);
    }

    public PostEnricher(TweetModel model, LanguageIdentifier languageIdentifier, double minEnglishConfidence) {
        this.model = model;
        this.languageIdentifier = languageIdentifier;
        this.minEnglishConfidence = minEnglishConfidence;
    }

    /** Enriches the posts in place and returns the same list. */
    /**
     * Whether a text has a character a reader sees: not only white space, control characters and
     * invisible format characters (zero-width space and joiners, byte-order marks, direction marks).
     * A red-team finding: a post of three U+200B was scored joy, positive and ironic, though it says
     * nothing; {@link String#isBlank} knows none of these.
     */
    static boolean hasVisibleText(String text) {
        if (text == null) {
            return false;
        }
        return text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.CONTROL);
    }

    public List<Post> enrich(List<Post> posts) {
        List<Post> toScore = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Post post : posts) {
            post.clearModelAnswers();
            LanguageIdentifier.LanguageGuess guess = languageIdentifier.identify(post.text);
            post.langDetected = guess == null ? null : guess.code();
            post.langConfidence = guess == null ? null : guess.confidence();
            if (hasVisibleText(post.text) && isEnglish(guess, post.lang)) {
                toScore.add(post);
                texts.add(post.text);
            }
        }
        if (toScore.isEmpty()) {
            return posts;
        }
        List<ModelPrediction> predictions = model.predict(texts);
        String version = model.config().nameAndVersion();
        for (int i = 0; i < toScore.size(); i++) {
            Post post = toScore.get(i);
            ModelPrediction prediction = predictions.get(i);
            post.sentiment = prediction.sentiment();
            post.sentimentScore = prediction.sentimentScore();
            post.pNegative = prediction.pNegative();
            post.pNeutral = prediction.pNeutral();
            post.pPositive = prediction.pPositive();
            post.entities = prediction.entities().toArray(new EntityMention[0]);
            post.emotion = prediction.emotion();
            post.emotionScore = prediction.emotionScore();
            post.offensive = prediction.offensive();
            post.offensiveScore = prediction.offensiveScore();
            post.hate = prediction.hate();
            post.hateScore = prediction.hateScore();
            post.irony = prediction.irony();
            post.ironyScore = prediction.ironyScore();
            post.modelVersion = version;
        }
        return posts;
    }

    /** The scoring rule above, for one post's language guess and declared language. */
    boolean isEnglish(LanguageIdentifier.LanguageGuess guess, String declaredLang) {
        if (guess != null && guess.confidence() >= minEnglishConfidence) {
            return guess.code().equals("en");
        }
        if (declaredLang == null || declaredLang.isBlank()) {
            return true;
        }
        String declared = declaredLang.trim().toLowerCase(Locale.ROOT);
        return declared.equals("en") || declared.startsWith("en-") || declared.startsWith("en_");
    }
}
