package io.tidings.models;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.net.URL;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Identifies the language of a post's text with Lingua (n-gram models, offline).
 *
 * <p>Detection runs on the text with URLs, @mentions, a leading {@code RT} and the '#' signs
 * removed (a hashtag's words are language, a handle or a URL is not). Texts that keep fewer than
 * {@link #MIN_LETTER_WEIGHT} weighted letters are <em>undetermined</em> ({@link #identify} returns
 * {@code null}): Lingua is unreliable on "lol ok" in every mode. Letters of Han, Hiragana, Katakana
 * and Hangul count 3, as one such character carries about a short word.
 *
 * <p>The confidence is Lingua's margin: 1 minus the runner-up's confidence relative to the best
 * language (Lingua 1.2 scales the best to 1.0). 0 means a tie, values above ~0.1 a clear choice.
 *
 * <p>The default set is {@link #DEFAULT_LANGUAGES}, twenty languages common on social media, in
 * low-accuracy mode (trigram models only): measured in {@code models/README.md}, that is a fraction of
 * the heap of the high-accuracy mode and faster, and tweets long enough to be identified lose little.
 * Lingua keeps its models in static maps, so detectors share them across the JVM; still, use
 * {@link #shared()} rather than building one per operator.
 *
 * <p>Thread-safe.
 */
public final class LanguageIdentifier {

    /** Twenty languages common on X, Bluesky and Mastodon, as ISO 639-1 codes. */
    public static final Set<String> DEFAULT_LANGUAGES = Set.of("en", "es", "pt", "fr", "de", "it", "nl", "ja", "ko",
            "zh", "ar", "hi", "ru", "tr", "id", "tl", "pl", "th", "fa", "uk");

    /** Texts with fewer weighted letters than this are undetermined. */
    public static final int MIN_LETTER_WEIGHT = 10;

    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_])@[\\p{L}\\p{N}_]+:?");
    private static final Pattern RETWEET = Pattern.compile("^\\s*RT\\b:?");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private static volatile LanguageIdentifier shared;

    /** One guess: an ISO 639-1 code and Lingua's margin over the runner-up. */
    public record LanguageGuess(String code, double confidence) {}

    private final LanguageDetector detector;
    private final Set<String> languages;
    private final boolean lowAccuracy;

    /**
     * @param isoCodes ISO 639-1 codes of the languages to choose among (at least two)
     * @param lowAccuracy Lingua's low-accuracy mode: trigram models only, less heap, faster
     */
    public LanguageIdentifier(Set<String> isoCodes, boolean lowAccuracy) {
        EnumSet<Language> chosen = EnumSet.noneOf(Language.class);
        for (String code : isoCodes) {
            IsoCode639_1 iso;
            try {
                iso = IsoCode639_1.valueOf(code.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown ISO 639-1 language code '" + code + "'", e);
            }
            Language language = Language.getByIsoCode639_1(iso);
            chosen.add(language);
        }
        if (chosen.size() < 2) {
            throw new IllegalArgumentException("Language identification needs at least two languages, got " + isoCodes);
        }
        List<String> missing = missingModels(chosen, lowAccuracy, Language.class::getResource);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Lingua's language models " + missing + " are not on the classpath."
                    + " The cluster jars keep only the unigram and trigram models of the default languages "
                    + new TreeSet<>(DEFAULT_LANGUAGES) + " (low-accuracy mode); for other languages or the"
                    + " high-accuracy mode, include their models in the maven-shade-plugin filter of the root pom.xml");
        }
        LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromLanguages(chosen.toArray(new Language[0]))
                .withPreloadedLanguageModels();
        if (lowAccuracy) {
            builder = builder.withLowAccuracyMode();
        }
        this.detector = builder.build();
        this.languages = new TreeSet<>();
        chosen.forEach(l -> languages.add(code(l)));
        this.lowAccuracy = lowAccuracy;
    }

    /**
     * Lingua's model files for {@code languages} that {@code resources} cannot find. Lingua itself
     * reads a missing model as an empty one and then guesses quietly wrong, so a jar trimmed to
     * fewer models is refused here, by file. Every language Lingua knows ships {@code unigrams.json}
     * (languages with a script of their own, such as Chinese or Greek, ship only that); the
     * high-accuracy mode also reads the bigram to fivegram models of a language that has trigrams.
     */
    static List<String> missingModels(Set<Language> languages, boolean lowAccuracy, Function<String, URL> resources) {
        List<String> missing = new ArrayList<>();
        for (Language language : languages) {
            String models = "/language-models/" + code(language) + "/";
            boolean allSizes = !lowAccuracy && resources.apply(models + "trigrams.json") != null;
            for (String ngrams : allSizes ? List.of("unigrams", "bigrams", "quadrigrams", "fivegrams") : List.of("unigrams")) {
                if (resources.apply(models + ngrams + ".json") == null) {
                    missing.add(models + ngrams + ".json");
                }
            }
        }
        return missing;
    }

    /** The JVM-wide identifier over {@link #DEFAULT_LANGUAGES} in low-accuracy mode, built on first use. */
    public static LanguageIdentifier shared() {
        LanguageIdentifier result = shared;
        if (result == null) {
            synchronized (LanguageIdentifier.class) {
                result = shared;
                if (result == null) {
                    result = new LanguageIdentifier(DEFAULT_LANGUAGES, true);
                    shared = result;
                }
            }
        }
        return result;
    }

    /** The ISO 639-1 codes this identifier chooses among. */
    public Set<String> languages() {
        return languages;
    }

    public boolean lowAccuracy() {
        return lowAccuracy;
    }

    /**
     * The most likely language of {@code text}, or {@code null} when the text is too short (after
     * removing URLs, mentions and '#') or Lingua cannot decide.
     */
    public LanguageGuess identify(String text) {
        String cleaned = clean(text);
        if (letterWeight(cleaned) < MIN_LETTER_WEIGHT) {
            return null;
        }
        SortedMap<Language, Double> values = detector.computeLanguageConfidenceValues(cleaned);
        Iterator<Map.Entry<Language, Double>> ranked = values.entrySet().iterator();
        if (!ranked.hasNext()) {
            return null;
        }
        Map.Entry<Language, Double> best = ranked.next();
        if (best.getKey() == Language.UNKNOWN || best.getValue() <= 0) {
            return null;
        }
        double runnerUp = ranked.hasNext() ? ranked.next().getValue() : 0.0;
        double confidence = Math.max(0.0, Math.min(1.0, 1.0 - runnerUp / best.getValue()));
        return new LanguageGuess(code(best.getKey()), confidence);
    }

    /** Identifies each text; the list holds {@code null} for undetermined texts. */
    public List<LanguageGuess> identifyAll(List<String> texts) {
        List<LanguageGuess> guesses = new ArrayList<>(texts.size());
        for (String text : texts) {
            guesses.add(identify(text));
        }
        return guesses;
    }

    /** The text language identification sees: no URLs, mentions, leading RT or '#' signs. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String cleaned = RETWEET.matcher(text).replaceAll(" ");
        cleaned = URL.matcher(cleaned).replaceAll(" ");
        cleaned = MENTION.matcher(cleaned).replaceAll(" ");
        cleaned = cleaned.replace('#', ' ');
        return SPACES.matcher(cleaned).replaceAll(" ").trim();
    }

    static int letterWeight(String text) {
        int weight = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            boolean dense = script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
            weight += dense ? 3 : 1;
        }
        return weight;
    }

    private static String code(Language language) {
        return language.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "LanguageIdentifier{" + languages + (lowAccuracy ? ", low accuracy" : "") + "}";
    }
}
