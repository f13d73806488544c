package io.tidings.models;

import io.tidings.records.EntityMention;
import java.util.List;
import java.util.Map;

/**
 * What a {@link TweetModel} says about one text: a sentiment label with the probabilities of the
 * three classes (all {@code null} when the model has no sentiment head), the entity mentions, with
 * Java {@code char} offsets into the text as given (empty when the model has no entity head), and
 * issue 21's signals (each {@code null} when the model has no such head): the most probable emotion
 * with its probability, and the probability that the text is offensive, hateful, ironic.
 */
public final class ModelPrediction {
    /** A yes/no signal is "yes" from this probability of its second label on. */
    public static final double YES_THRESHOLD = 0.5;

    private final String sentiment;
    private final double[] probabilities;
    private final List<EntityMention> entities;
    /** The signal heads' probabilities by key of {@link ModelConfig#SIGNAL_LABELS}, in their labels' order. */
    private final Map<String, double[]> signals;

    ModelPrediction(String sentiment, double[] probabilities, List<EntityMention> entities) {
        this(sentiment, probabilities, entities, Map.of());
    }

    ModelPrediction(String sentiment, double[] probabilities, List<EntityMention> entities, Map<String, double[]> signals) {
        this.sentiment = sentiment;
        this.probabilities = probabilities;
        this.entities = List.copyOf(entities);
        this.signals = Map.copyOf(signals);
    }

    /** {@code negative}, {@code neutral} or {@code positive}; {@code null} without a sentiment head. */
    public String sentiment() {
        return sentiment;
    }

    /** Probability of the chosen sentiment label. */
    public Double sentimentScore() {
        if (probabilities == null) {
            return null;
        }
        return probabilities[ModelConfig.SENTIMENT_LABELS.indexOf(sentiment)];
    }

    public Double pNegative() {
        return probabilities == null ? null : probabilities[0];
    }

    public Double pNeutral() {
        return probabilities == null ? null : probabilities[1];
    }

    public Double pPositive() {
        return probabilities == null ? null : probabilities[2];
    }

    /** Softmax probabilities in the order negative, neutral, positive (a copy), or {@code null}. */
    public double[] sentimentProbabilities() {
        return probabilities == null ? null : probabilities.clone();
    }

    /** Entity mentions in text order; never {@code null}. */
    public List<EntityMention> entities() {
        return entities;
    }

    /** {@code anger}, {@code joy}, {@code optimism} or {@code sadness}; {@code null} without an emotion head. */
    public String emotion() {
        return signalLabel("emotion");
    }

    /** Probability of {@link #emotion()}. */
    public Double emotionScore() {
        double[] p = signals.get("emotion");
        return p == null ? null : p[argmax(p)];
    }

    /** Whether the text is offensive ({@link #offensiveScore()} ≥ {@value #YES_THRESHOLD}); {@code null} without the head. */
    public Boolean offensive() {
        return yes("offensive");
    }

    /** Probability that the text is offensive; {@code null} without an offensive head. */
    public Double offensiveScore() {
        return yesProbability("offensive");
    }

    public Boolean hate() {
        return yes("hate");
    }

    public Double hateScore() {
        return yesProbability("hate");
    }

    public Boolean irony() {
        return yes("irony");
    }

    public Double ironyScore() {
        return yesProbability("irony");
    }

    /**
     * The label a signal head chose ({@link ModelConfig#SIGNAL_LABELS}): the most probable emotion,
     * or a yes/no head's second label from {@value #YES_THRESHOLD} on, else its first; {@code null}
     * when the model has no such head.
     */
    public String signalLabel(String key) {
        double[] p = signals.get(key);
        if (p == null) {
            return null;
        }
        List<String> labels = ModelConfig.SIGNAL_LABELS.get(key);
        return labels.size() == 2 ? labels.get(p[1] >= YES_THRESHOLD ? 1 : 0) : labels.get(argmax(p));
    }

    /** A signal head's softmax probabilities in its labels' order (a copy), or {@code null} without the head. */
    public double[] signalProbabilities(String key) {
        double[] p = signals.get(key);
        return p == null ? null : p.clone();
    }

    private Double yesProbability(String key) {
        double[] p = signals.get(key);
        return p == null ? null : p[1];
    }

    private Boolean yes(String key) {
        Double p = yesProbability(key);
        return p == null ? null : p >= YES_THRESHOLD;
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

    @Override
    public String toString() {
        return "ModelPrediction{" + sentiment + ", " + entities + (signals.isEmpty() ? "" : ", emotion=" + emotion()
                + ", offensive=" + offensiveScore() + ", hate=" + hateScore() + ", irony=" + ironyScore()) + "}";
    }
}
