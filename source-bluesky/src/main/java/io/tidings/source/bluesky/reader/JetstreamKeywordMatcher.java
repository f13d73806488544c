package io.tidings.source.bluesky.reader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * Client-side keyword filters (Jetstream filters only by collection and DID). A term matches as a
 * whole word or phrase, case-insensitively (Unicode): {@code flink} matches "Apache FLINK!" but not
 * "flinkster"; the words of a phrase may be separated by any whitespace.
 */
@Internal
public final class JetstreamKeywordMatcher {
    /** A letter, digit or underscore: what may not touch a term on either side. */
    private static final String WORD_CHAR = "[\\p{L}\\p{N}_]";

    private final Map<String, Pattern> filters = new LinkedHashMap<>();

    public JetstreamKeywordMatcher(Map<String, List<String>> keywords) {
        keywords.forEach((name, terms) -> filters.put(name, compile(terms)));
    }

    public boolean isEmpty() {
        return filters.isEmpty();
    }

    /** The names of the filters that {@code text} matches, in configuration order. */
    public List<String> match(String text) {
        List<String> names = new ArrayList<>(1);
        if (text == null || text.isEmpty()) {
            return names;
        }
        filters.forEach((name, pattern) -> {
            if (pattern.matcher(text).find()) {
                names.add(name);
            }
        });
        return names;
    }

    static Pattern compile(List<String> terms) {
        List<String> alternatives = new ArrayList<>();
        for (String term : terms) {
            List<String> words = new ArrayList<>();
            for (String word : term.strip().split("\\s+")) {
                words.add(Pattern.quote(word));
            }
            alternatives.add(String.join("\\s+", words));
        }
        return Pattern.compile("(?<!" + WORD_CHAR + ")(?:" + String.join("|", alternatives) + ")(?!" + WORD_CHAR + ")",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    }
}
