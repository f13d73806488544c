package io.tidings.models;

import io.tidings.records.EntityMention;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a model's logits into answers: the sentiment head's three logits into a label and
 * probabilities in {@link ModelConfig#SENTIMENT_LABELS} order, whatever order the model's own labels
 * are in; the entity head's per-token logits into BIO tags, decoded to char spans of the original
 * text by {@link BioSpanDecoder}; the signal heads' logits (issue 21) into probabilities.
 */
final class PredictionDecoder {
    private final ModelConfig config;

    PredictionDecoder(ModelConfig config) {
        this.config = config;
    }

    /** One text's prediction; either array may be null when the model has no such head. */
    ModelPrediction decode(TokenizedText text, float[] sentimentLogits, float[][] entityLogits) {
        return decode(text, sentimentLogits, entityLogits, Map.of());
    }

    /**
     * One text's prediction, with the logits of the signal heads the model has ({@link
     * ModelConfig#signals()}, by key; the labels are the contract's, in its order, as the config checked).
     */
    ModelPrediction decode(TokenizedText text, float[] sentimentLogits, float[][] entityLogits, Map<String, float[]> signalLogits) {
        String sentiment = null;
        double[] probabilities = null;
        if (sentimentLogits != null) {
            double[] p = softmax(sentimentLogits);
            probabilities = new double[3];
            List<String> labels = config.sentiment().labels();
            for (int k = 0; k < 3; k++) {
                probabilities[ModelConfig.SENTIMENT_LABELS.indexOf(labels.get(k))] = p[k];
            }
            sentiment = labels.get(argmax(p));
        }
        List<EntityMention> entities = entityLogits == null ? List.of() : entities(text, entityLogits);
        Map<String, double[]> signals = new LinkedHashMap<>();
        signalLogits.forEach((key, logits) -> signals.put(key, softmax(logits)));
        return new ModelPrediction(sentiment, probabilities, entities, signals);
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
}
