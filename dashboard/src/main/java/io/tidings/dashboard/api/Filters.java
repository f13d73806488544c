package io.tidings.dashboard.api;

import io.tidings.records.EntityKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The filters every data endpoint takes (API.md): time range, platform, rule, language,
 * sentiment, issue 21's emotion and signals, entity, hashtag, text. Turned into a SQL condition on
 * the {@code posts} view with every value bound as a parameter, never pasted into the SQL.
 *
 * <p>{@code emotions}: posts whose emotion is any of these; {@code signals}: posts flagged true for
 * every one of these (offensive, hate, irony), so {@code signal=offensive,irony} narrows, like adding
 * filters does; a post without signals (null) never matches.
 */
public record Filters(Instant from, Instant to, List<String> platforms, String rule, List<String> langs,
        List<String> sentiments, List<String> emotions, List<String> signals, String entity, String entityType,
        String hashtag, String text) {

    public static final Filters NONE = new Filters(null, null, List.of(), null, List.of(), List.of(), List.of(), List.of(),
            null, null, null, null);
    static final Set<String> SENTIMENTS = Set.of("negative", "neutral", "positive", "unscored");
    /** The emotions of the bundled model's head ({@link SignalsQuery#MODEL_EMOTIONS}): what {@code emotion=} takes. */
    static final List<String> EMOTIONS = SignalsQuery.MODEL_EMOTIONS;
    /**
     * The yes/no signals {@code signal=} takes: each is also the name of its posts column, which is
     * why a column name may be written into the SQL: it is this list's text, never the request's.
     */
    static final List<String> SIGNALS = List.of("offensive", "hate", "irony");
    static final Set<String> ENTITY_TYPES = Set.of("PER", "ORG", "LOC", "MISC");

    /** A SQL condition and its parameters, in order. */
    public record Condition(String sql, List<Object> params) {}

    /** Parses the query parameters; a bad value is an {@link ApiException} (400) naming the parameter. */
    public static Filters parse(Map<String, List<String>> query) {
        Instant from = time(first(query, "from"), "from");
        Instant to = time(first(query, "to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        List<String> sentiments = list(first(query, "sentiment"));
        for (String s : sentiments) {
            if (!SENTIMENTS.contains(s)) {
                throw ApiException.badRequest("sentiment must be negative, neutral, positive or unscored, not '" + s + "'");
            }
        }
        List<String> emotions = list(first(query, "emotion"));
        for (String e : emotions) {
            if (!EMOTIONS.contains(e)) {
                throw ApiException.badRequest("emotion must be anger, joy, optimism or sadness, not '" + e + "'");
            }
        }
        List<String> signals = list(first(query, "signal"));
        for (String s : signals) {
            if (!SIGNALS.contains(s)) {
                throw ApiException.badRequest("signal must be offensive, hate or irony, not '" + s + "'");
            }
        }
        String entityType = blankToNull(first(query, "entity_type"));
        if (entityType != null) {
            entityType = entityType.toUpperCase(Locale.ROOT);
            if (!ENTITY_TYPES.contains(entityType)) {
                throw ApiException.badRequest("entity_type must be PER, ORG, LOC or MISC");
            }
        }
        String hashtag = blankToNull(first(query, "hashtag"));
        if (hashtag != null && hashtag.startsWith("#")) {
            hashtag = hashtag.substring(1);
        }
        return new Filters(from, to, list(first(query, "platform")), blankToNull(first(query, "rule")),
                list(first(query, "lang")), sentiments, emotions, signals, blankToNull(first(query, "entity")), entityType,
                hashtag, blankToNull(first(query, "q")));
    }

    /** The condition on posts aliased {@code p} (always true when no filter is set). */
    public Condition on(String p) {
        return on(p, "created_at");
    }

    /**
     * Whether the {@code post_hours} table (LakeDatabase: live posts counted per creation hour,
     * platform, language, sentiment and rules) answers for these filters exactly: no emotion, signal,
     * entity, hashtag or text filter (it has no such columns), and a time range on whole hours.
     */
    public boolean fitsPostHours() {
        return emotions.isEmpty() && signals.isEmpty() && entity == null && hashtag == null && text == null
                && onTheHour(from) && onTheHour(to);
    }

    /**
     * Whether the {@code author_days} table (LakeDatabase: live posts per creation day, platform
     * and author) can answer for these filters: a time range and platforms, nothing else. A range
     * that does not start or end at midnight UTC is answered from it for its whole days only
     * ({@link OverviewQuery}).
     */
    public boolean fitsAuthorDays() {
        return rule == null && langs.isEmpty() && sentiments.isEmpty() && emotions.isEmpty() && signals.isEmpty()
                && entity == null && hashtag == null && text == null;
    }

    /** {@link #on} for the {@code author_days} table aliased {@code a}, over the days [{@code fromDay}, {@code toDay}) (null: open). */
    public Condition onAuthorDays(String a, LocalDate fromDay, LocalDate toDay) {
        if (!fitsAuthorDays()) {
            throw new IllegalStateException("author_days cannot answer for these filters");
        }
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (fromDay != null) {
            parts.add(a + ".d >= CAST(? AS DATE)");
            params.add(fromDay.toString());
        }
        if (toDay != null) {
            parts.add(a + ".d < CAST(? AS DATE)");
            params.add(toDay.toString());
        }
        in(parts, params, a + ".platform", platforms);
        return new Condition(parts.isEmpty() ? "TRUE" : String.join(" AND ", parts), params);
    }

    private static boolean onTheHour(Instant t) {
        return t == null || t.equals(t.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
    }

    /**
     * {@link #on} for the {@code post_hours} table aliased {@code h}: its creation hour {@code t}
     * stands for {@code created_at}, the same thing when the range is on whole hours ({@link #fitsPostHours}).
     */
    public Condition onPostHours(String h) {
        if (!fitsPostHours()) {
            throw new IllegalStateException("post_hours cannot answer for these filters");
        }
        return on(h, "t");
    }

    private Condition on(String p, String createdAt) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (from != null) {
            // dt first: DuckDB skips whole partitions (folders) on it before reading any file.
            parts.add(p + ".dt >= CAST(? AS DATE) AND " + p + "." + createdAt + " >= CAST(? AS TIMESTAMP)");
            params.add(LocalDate.ofInstant(from, ZoneOffset.UTC).toString());
            params.add(sqlTime(from));
        }
        if (to != null) {
            parts.add(p + ".dt <= CAST(? AS DATE) AND " + p + "." + createdAt + " < CAST(? AS TIMESTAMP)");
            params.add(LocalDate.ofInstant(to, ZoneOffset.UTC).toString());
            params.add(sqlTime(to));
        }
        in(parts, params, p + ".platform", platforms);
        in(parts, params, p + ".lang_detected", langs);
        if (rule != null) {
            parts.add("list_contains(" + p + ".matched_rules, ?)");
            params.add(rule);
        }
        if (!sentiments.isEmpty()) {
            List<String> scored = sentiments.stream().filter(s -> !s.equals("unscored")).toList();
            List<String> either = new ArrayList<>();
            if (!scored.isEmpty()) {
                either.add(p + ".sentiment IN (" + placeholders(scored.size()) + ")");
                params.addAll(scored);
            }
            if (sentiments.contains("unscored")) {
                either.add(p + ".sentiment IS NULL");
            }
            parts.add("(" + String.join(" OR ", either) + ")");
        }
        in(parts, params, p + ".emotion", emotions);
        for (String signal : SIGNALS) {
            if (signals.contains(signal)) {
                // IS TRUE: a post without signals (null) is not known to be offensive, so never matches.
                parts.add(p + "." + signal + " IS TRUE");
            }
        }
        if (entity != null) {
            // mentions: one row per (post, entity by its canonical key), built as files load (LakeDatabase).
            // An IN over the entity's mentions, not a correlated EXISTS: DuckDB turns that into a
            // join keyed on every post, which ran out of 384MB over ten million posts.
            parts.add("(" + p + ".post_id, " + p + ".dt, " + p + ".hour) IN (SELECT (fe.post_id, fe.dt, fe.hour) FROM mentions fe"
                    + " WHERE fe.folded = ?" + (entityType != null ? " AND fe.type = ?" : "") + ")");
            params.add(EntityKey.of(entity));
            if (entityType != null) {
                params.add(entityType);
            }
        }
        if (hashtag != null) {
            parts.add("list_contains(list_transform(" + p + ".hashtags, lambda h: lower(h)), ?)");
            params.add(hashtag.toLowerCase(Locale.ROOT));
        }
        if (text != null) {
            parts.add("strpos(lower(" + p + ".text), ?) > 0");
            params.add(text.toLowerCase(Locale.ROOT));
        }
        return new Condition(parts.isEmpty() ? "TRUE" : String.join(" AND ", parts), params);
    }

    /**
     * Whether {@link #on} reads only columns the {@code mentions} table carries besides {@code
     * posts} (time, partition, platform, language, rules, sentiment, emotion and signals, entity), so
     * entity answers can filter that table alone ({@code post_terms} and {@code post_signals} carry
     * the same); the text and hashtag filters need the posts themselves.
     */
    public boolean fitsMentions() {
        return text == null && hashtag == null;
    }

    /** The same filters with one more entity condition (an entity's own page). */
    public Filters withEntity(String text, String type) {
        return new Filters(from, to, platforms, rule, langs, sentiments, emotions, signals, text, type, hashtag, this.text);
    }

    public Filters withRange(Instant newFrom, Instant newTo) {
        return new Filters(newFrom, newTo, platforms, rule, langs, sentiments, emotions, signals, entity, entityType, hashtag,
                text);
    }

    /** A stable text of the filters for cache keys: equal filters, equal text. */
    public static String normalizedQuery(Map<String, List<String>> query) {
        return new TreeMap<>(query).toString();
    }

    private static void in(List<String> parts, List<Object> params, String column, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(column + " IN (" + placeholders(values.size()) + ")");
            params.addAll(values);
        }
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    public static String sqlTime(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString().replace('T', ' ');
    }

    static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static List<String> list(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /** An ISO instant ({@code 2026-11-26T09:00:00Z}), a date-time with offset, or a date (midnight UTC). */
    static Instant time(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw ApiException.badRequest("'" + name + "' must be an ISO instant like 2026-11-26T09:00:00Z or a date like 2026-11-26");
            }
        }
    }
}
