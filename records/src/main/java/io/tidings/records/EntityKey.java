package io.tidings.records;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The canonical key of an entity's surface text, which aggregations group by so that one name
 * counts once: {@code Ukraine}, {@code #Ukraine}, {@code UKRAINE} and {@code ＃Ｕｋｒａｉｎｅ} are
 * all {@code ukraine}. The surface text itself is kept beside it (the lake's {@code entities.text}).
 *
 * <p>Steps, in this order: Unicode NFKC (full-width and compatibility forms become the plain
 * ones, so a full-width {@code ＃} is a {@code #} for the next step), whitespace trimmed and every
 * run of it made one space, leading {@code #} and {@code @} removed (a hashtag or a mention of a
 * name is the name), lower case by {@link Locale#ROOT} (never the JVM's locale: Turkish would
 * turn {@code I} into a dotless {@code ı}). A text that is nothing but {@code #}/{@code @} keeps
 * them, so no key is empty unless the text was blank.
 */
public final class EntityKey {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private EntityKey() {}

    /** The key of {@code surface}; null for null. */
    public static String of(String surface) {
        if (surface == null) {
            return null;
        }
        String text = WHITESPACE.matcher(Normalizer.normalize(surface, Normalizer.Form.NFKC)).replaceAll(" ").strip();
        int start = 0;
        while (start < text.length() && (text.charAt(start) == '#' || text.charAt(start) == '@')) {
            start++;
        }
        String name = start < text.length() ? text.substring(start).strip() : text;
        return name.toLowerCase(Locale.ROOT);
    }
}
