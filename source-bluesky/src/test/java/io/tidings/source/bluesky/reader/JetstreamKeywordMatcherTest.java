package io.tidings.source.bluesky.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JetstreamKeywordMatcherTest {
    private final JetstreamKeywordMatcher matcher;

    JetstreamKeywordMatcherTest() {
        Map<String, List<String>> k = new LinkedHashMap<>();
        k.put("streaming", List.of("flink", "apache kafka"));
        k.put("tags", List.of("#dataengineering"));
        k.put("café", List.of("Café"));
        matcher = new JetstreamKeywordMatcher(k);
    }

    @Test
    void matchesWholeWordsAndPhrasesIgnoringCase() {
        assertThat(matcher.match("FLINK!")).containsExactly("streaming");
        assertThat(matcher.match("(flink)")).containsExactly("streaming");
        assertThat(matcher.match("flinkster, reflink, flink_job, flink2")).isEmpty();
        assertThat(matcher.match("Apache\n\tKafka rocks")).containsExactly("streaming");
        assertThat(matcher.match("apachekafka")).isEmpty();
        assertThat(matcher.match("love #DataEngineering")).containsExactly("tags");
        assertThat(matcher.match("dataengineering")).isEmpty();
        assertThat(matcher.match("au CAFÉ, flink")).containsExactly("streaming", "café");
        assertThat(matcher.match("cafés")).isEmpty();
        assertThat(matcher.match("")).isEmpty();
        assertThat(matcher.match(null)).isEmpty();
    }
}
