package io.tidings.models;

import io.tidings.records.EntityMention;
import java.util.List;

/**
 * What a {@link TweetModel} says about one text: a sentiment label with the probabilities of the
 * three classes (all {@code null} when the model has no sentiment head) and the entity mentions,
 * with Java {@code char} offsets into the text as given (empty when the model has no entity head).
 */
public final class ModelPrediction {
    private final String sentiment;
    private final double[] probabilities;
    private final List<EntityMention> entities;

    ModelPrediction(String sentiment, double[] probabilities, List<EntityMention> entities) {
        this.sentiment = sentiment;
        this.probabilities = probabilities;
        this.entities = List.copyOf(entities);
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

    @Override
    public String toString() {
        return "ModelPrediction{" + sentiment + ", " + entities + "}";
    }
}
