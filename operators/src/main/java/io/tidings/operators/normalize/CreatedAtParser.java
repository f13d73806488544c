package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reads the creation time of a post, in the formats the platforms use, into epoch milliseconds
 * UTC: ISO-8601 (X v2, Bluesky, Mastodon, generic), the classic Twitter format {@code Wed Oct 10
 * 20:19:24 +0000 2018} (X v1.1), and epoch seconds or milliseconds (generic). Anything else is a
 * rejection with a reason such as {@code created_at 'yesterday' is not a date}.
 */
final class CreatedAtParser {
    /** X v1.1's format; English names whatever the JVM's default locale is. */
    private static final DateTimeFormatter TWITTER_CLASSIC =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);

    /** ISO-8601 date-time with an optional offset (missing offset means UTC). */
    private static final DateTimeFormatter ISO =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .appendLiteral('T')
                    .append(DateTimeFormatter.ISO_LOCAL_TIME)
                    .optionalStart()
                    .appendOffsetId()
                    .optionalEnd()
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);

    /** Below this an epoch number is seconds, above it milliseconds (1e11 s is the year 5138). */
    private static final double SECONDS_LIMIT = 1e11;

    private CreatedAtParser() {}

    /** ISO-8601 string field. */
    static long iso(JsonNode parent, String name, String label) {
        String value = requiredString(parent, name, label);
        return parseIso(value, label);
    }

    /**
     * An optional ISO-8601 string field: null when absent, JSON null, of another type or not a date
     * (the house rule for optional fields: stored as null, the post kept).
     */
    static Long optionalIso(JsonNode parent, String name) {
        JsonNode node = RecordFields.child(parent, name);
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return parseIso(node.textValue(), name);
        } catch (RecordRejectedException e) {
            return null;
        }
    }

    /** X v1.1's classic format. */
    static long twitterClassic(JsonNode parent, String name, String label) {
        String value = requiredString(parent, name, label);
        if (value.length() <= 64) {
            try {
                return Instant.from(TWITTER_CLASSIC.parse(value.trim())).toEpochMilli();
            } catch (DateTimeException e) {
                // fall through to the ISO form some re-serialized v1.1 files use
            }
        }
        try {
            return parseIso(value, label);
        } catch (RecordRejectedException e) {
            throw notADate(label, value);
        }
    }

    /** ISO-8601, a date alone, or epoch seconds/milliseconds as a number or a string of digits. */
    static long flexible(JsonNode parent, String name, String label) {
        JsonNode node = RecordFields.child(parent, name);
        if (node == null) {
            throw new RecordRejectedException("missing " + label);
        }
        if (node.isNumber()) {
            return epoch(node.doubleValue(), node.isIntegralNumber() && node.canConvertToLong()
                    ? node.longValue() : null, node.asText(), label);
        }
        if (!node.isTextual()) {
            throw new RecordRejectedException(label + " is " + RecordFields.describe(node) + ", expected a string");
        }
        String value = node.textValue().trim();
        if (!value.isEmpty() && value.length() <= 20 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return epoch(Double.parseDouble(value), Long.parseLong(value), value, label);
        }
        if (value.length() == 10) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                throw notADate(label, value);
            }
        }
        return parseIso(node.textValue(), label);
    }

    private static long epoch(double asDouble, Long asLong, String text, String label) {
        if (!Double.isFinite(asDouble) || Math.abs(asDouble) > 1e15) {
            throw notADate(label, text);
        }
        if (Math.abs(asDouble) < SECONDS_LIMIT) {
            return Math.round(asDouble * 1000.0);
        }
        return asLong != null ? asLong : Math.round(asDouble);
    }

    private static String requiredString(JsonNode parent, String name, String label) {
        JsonNode node = RecordFields.child(parent, name);
        if (node == null) {
            throw new RecordRejectedException("missing " + label);
        }
        if (!node.isTextual()) {
            throw new RecordRejectedException(label + " is " + RecordFields.describe(node) + ", expected a string");
        }
        return node.textValue();
    }

    private static long parseIso(String value, String label) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > 64) {
            throw notADate(label, value);
        }
        try {
            TemporalAccessor parsed = ISO.parse(trimmed);
            LocalDateTime local = LocalDateTime.of(
                    LocalDate.from(parsed), java.time.LocalTime.from(parsed));
            int offsetSeconds = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? parsed.get(ChronoField.OFFSET_SECONDS) : 0;
            return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw notADate(label, value);
        }
    }

    private static RecordRejectedException notADate(String label, String value) {
        return new RecordRejectedException(label + " " + RecordFields.quote(value) + " is not a date");
    }
}
