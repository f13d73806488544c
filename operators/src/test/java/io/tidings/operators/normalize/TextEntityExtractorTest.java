package io.tidings.operators.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextEntityExtractorTest {

    @Test
    void twitterRulesForHashtagsMentionsCashtags() {
        String text = "RT @Alice_1: #Flink and #flink2 beat $AAPL, not a#b or email@example.com or $123 #";
        assertThat(TextEntityExtractor.hashtags(text)).containsExactly("Flink", "flink2");
        assertThat(TextEntityExtractor.mentions(text)).containsExactly("Alice_1");
        assertThat(TextEntityExtractor.cashtags(text)).containsExactly("AAPL");
    }

    @Test
    void urlsByLinearScan() {
        assertThat(TextEntityExtractor.urls("see https://example.org/a?b=1&c=2. And (http://x.io/wiki/A_(b)), "
                + "HTTPS://UPPER.example/ \"https://quoted.example\" xhttps://not.example https:// done…"))
                .containsExactly("https://example.org/a?b=1&c=2", "http://x.io/wiki/A_(b)", "HTTPS://UPPER.example/",
                        "https://quoted.example");
        assertThat(TextEntityExtractor.urls("cut https://t.co/abc…")).containsExactly("https://t.co/abc");
    }
}
