package io.tidings.bench;

import io.tidings.models.LanguageIdentifier;
import io.tidings.models.ModelLocation;
import io.tidings.models.PostEnricher;
import io.tidings.models.TweetModel;
import java.util.List;

/**
 * Our enrichment against a model stack the size of the old pipeline's, in one run on the same
 * posts and the same thread budget: full enrichment with the bundled model (language + sentiment +
 * entities), then a RoBERTa-base sentiment classifier and an XLM-R-large token classifier (the
 * shapes of cardiffnlp/twitter-roberta-base-sentiment-latest and flair/ner-english-large), each
 * post through both, as the old pipeline scored it. The old-sized models have random weights
 * (speed does not depend on weight values) and come from {@code models/training/export_hf.py
 * --random}, the same export users run on their own models, through the same Java runtime. The
 * old pipeline itself was slower still: it reloaded both models for every tweet.
 *
 * <p>Usage: {@code OldStackBenchmark OLD_SENTIMENT_DIR OLD_ENTITIES_DIR [POSTS] [WORKERS]};
 * {@code bench/run-old-stack.sh} builds the two models once and runs it.
 */
public final class OldStackBenchmark {
    public static void main(String[] args) throws Exception {
        String oldSentiment = args[0];
        String oldEntities = args[1];
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<String> texts = EndToEndBenchmark.texts().subList(0, count);

        double ours;
        String ourModel;
        try (TweetModel model = TweetModel.load(ModelLocation.BUNDLED_DEFAULT, 1, TweetModel.DEFAULT_BATCH_SIZE)) {
            PostEnricher enricher = new PostEnricher(model, LanguageIdentifier.shared());
            enricher.enrich(EnrichmentBenchmark.posts(texts.subList(0, 64)));
            // Several passes so the measured time is not dominated by one slice's start-up.
            int passes = 4;
            List<String> repeated = new java.util.ArrayList<>();
            for (int i = 0; i < passes; i++) {
                repeated.addAll(texts);
            }
            ours = EnrichmentBenchmark.rate(repeated.size(), workers,
                    slice -> enricher.enrich(EnrichmentBenchmark.posts(slice)), repeated);
            ourModel = model.config().nameAndVersion();
        }
        long rssAfterOurs = EndToEndBenchmark.peakRssMb();

        double old;
        try (TweetModel sentiment = TweetModel.load(ModelLocation.parse(oldSentiment), 1, TweetModel.DEFAULT_BATCH_SIZE);
                TweetModel entities = TweetModel.load(ModelLocation.parse(oldEntities), 1, TweetModel.DEFAULT_BATCH_SIZE)) {
            sentiment.predict(texts.subList(0, 8));
            entities.predict(texts.subList(0, 8));
            // Slices of 32 so that both workers stay busy on a few hundred posts.
            old = EnrichmentBenchmark.rate(count, workers, 32, slice -> {
                sentiment.predict(slice);
                entities.predict(slice);
            }, texts);
        }
        System.out.printf("old-stack posts=%d workers=%d model_threads=1 ours=%s ours_full_per_s=%.1f"
                        + " old_stack=roberta-base-sentiment+xlm-roberta-large-ner old_per_s=%.2f ratio=%.1f"
                        + " peak_rss_mb_ours=%d peak_rss_mb_with_old=%d%n",
                count, workers, ourModel, ours, old, ours / old, rssAfterOurs, EndToEndBenchmark.peakRssMb());
    }
}
