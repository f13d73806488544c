package io.tidings.operators.normalize;

import com.twitter.twittertext.Extractor;
import java.util.List;

/**
 * Finds hashtags, mentions, URLs and cashtags in a post's text by Twitter's own rules (the
 * {@code twitter-text} library, the reference implementation the X clients use), for posts whose
 * platform gives no entities (generic records, Bluesky posts without facets, cashtags on Mastodon).
 * Values come without their sigil ({@code #}, {@code @}, {@code $}), in the case written.
 */
final class TextEntityExtractor {
    /** twitter-text's extractor keeps no per-call state, so one instance serves all threads. */
    private static final Extractor EXTRACTOR = new Extractor();

    private TextEntityExtractor() {}

    static List<String> hashtags(String text) {
        return EXTRACTOR.extractHashtags(text);
    }

    static List<String> mentions(String text) {
        return EXTRACTOR.extractMentionedScreennames(text);
    }

    static List<String> urls(String text) {
        return EXTRACTOR.extractURLs(text);
    }

    static List<String> cashtags(String text) {
        return EXTRACTOR.extractCashtags(text);
    }
}
