package io.tidings.operators.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of fields from a parsed JSON record, shared by the dialects.
 *
 * <p>Two kinds of read, on purpose: a <em>required</em> field (id, text) that is missing or of the
 * wrong type rejects the record with a reason naming the field; an <em>optional</em> field (counts,
 * names, language) of the wrong type is treated as absent, because a post with a malformed follower
 * count is still worth keeping.
 */
final class RecordFields {
    /** Longest native id accepted; real ids are at most a few dozen characters. */
    static final int MAX_ID_CHARS = 256;
    /** At most this many hashtags (or mentions, URLs, cashtags) are kept per post. */
    static final int MAX_ENTITIES = 500;

    private RecordFields() {}

    /** "an object", "an array", ... for reasons. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        switch (node.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            case STRING:
                return "a string";
            default:
                return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The named child of an object node, or null when absent, JSON null, or parent not an object. */
    static JsonNode child(JsonNode parent, String name) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode node = parent.get(name);
        return node == null || node.isNull() ? null : node;
    }

    static ObjectNode object(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }

    static ArrayNode array(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        return node != null && node.isArray() ? (ArrayNode) node : null;
    }

    static boolean has(JsonNode parent, String name) {
        return child(parent, name) != null;
    }

    /**
     * A required id: a non-empty string, or an integer number (only a true JSON integer: ids sent as
     * floating-point numbers have lost digits, as the {@code id} of some X v1.1 statuses has).
     */
    static String requiredId(JsonNode parent, String name, String label) {
        JsonNode node = child(parent, name);
        if (node == null) {
            throw new RecordRejectedException("missing " + label);
        }
        String id;
        if (node.isTextual()) {
            id = node.textValue();
        } else if (node.isIntegralNumber()) {
            id = node.asText();
        } else if (node.isNumber()) {
            throw new RecordRejectedException(
                    label + " is a floating-point number (" + node.asText() + "), which has lost digits");
        } else {
            throw new RecordRejectedException(label + " is " + describe(node) + ", expected a string");
        }
        return checkId(id, label);
    }

    /**
     * A required X id (of a post or a user): as {@link #requiredId}, and a decimal number below
     * 2^63 as X's ids are, written without leading zeros, so that {@code "0146"} and {@code 146}
     * are the same post and join with the posts that refer to it.
     */
    static String requiredXId(JsonNode parent, String name, String label) {
        return xId(requiredId(parent, name, label), label);
    }

    /**
     * An optional X id (an author, a post referred to): in the canonical form of {@link #xId} when it
     * is a decimal number, else as given ({@link #optionalId}): an optional field never loses what it
     * holds (a collection made with other ids still joins its authors).
     */
    static String optionalXId(JsonNode parent, String name) {
        String id = optionalId(parent, name);
        if (id == null) {
            return null;
        }
        try {
            return xId(id, name);
        } catch (RecordRejectedException e) {
            return id;
        }
    }

    /** {@code id} in the canonical decimal form of X's 64-bit ids; rejects anything else, saying why. */
    static String xId(String id, String label) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                throw new RecordRejectedException(label + " " + quote(id) + " is not an X id (X ids are decimal numbers)");
            }
        }
        String digits = id.replaceFirst("^0+(?=.)", "");
        // X's ids are positive signed 64-bit numbers: at most 19 digits, at most Long.MAX_VALUE.
        if (digits.length() > 19 || (digits.length() == 19 && digits.compareTo(Long.toString(Long.MAX_VALUE)) > 0)) {
            throw new RecordRejectedException(label + " " + quote(id)
                    + " is larger than any X id can be (X ids are 64-bit numbers, at most 9223372036854775807)");
        }
        return digits;
    }

    /** An optional id: as {@link #requiredId} but null instead of a rejection. */
    static String optionalId(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null) {
            return null;
        }
        String id;
        if (node.isTextual()) {
            id = node.textValue();
        } else if (node.isIntegralNumber()) {
            id = node.asText();
        } else {
            return null;
        }
        return id.isBlank() || id.length() > MAX_ID_CHARS || hasControlChar(id) ? null : id;
    }

    static String checkId(String id, String label) {
        if (id.isBlank()) {
            throw new RecordRejectedException(label + " is empty");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new RecordRejectedException(
                    label + " is " + id.length() + " chars, limit " + MAX_ID_CHARS);
        }
        if (hasControlChar(id)) {
            throw new RecordRejectedException(label + " " + quote(id) + " contains control characters");
        }
        return id;
    }

    /** A required string, returned exactly as received (empty allowed). */
    static String requiredText(JsonNode parent, String name, String label) {
        JsonNode node = child(parent, name);
        if (node == null) {
            throw new RecordRejectedException("missing " + label);
        }
        if (!node.isTextual()) {
            throw new RecordRejectedException(label + " is " + describe(node) + ", expected a string");
        }
        return node.textValue();
    }

    /** An optional string: null when absent, not a string, or blank. */
    static String optionalText(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            return null;
        }
        return node.textValue();
    }

    /**
     * A count: a non-negative integer, given as a number or as a string of digits ("123"). Negative,
     * fractional, huge or malformed counts are null: unknown rather than wrong.
     */
    static Long count(JsonNode parent, String name) {
        JsonNode node = child(parent, name);
        if (node == null) {
            return null;
        }
        long value;
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                return null;
            }
            value = node.longValue();
        } else if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 9.0e15) {
                return null;
            }
            value = (long) d;
        } else if (node.isTextual()) {
            String s = node.textValue().trim();
            if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            value = Long.parseLong(s);
        } else {
            return null;
        }
        return value < 0 ? null : value;
    }

    /** A finite number, or null. */
    static Double number(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        double d = node.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    /** The string field {@code field} of every object in {@code array}, skipping the rest. */
    static List<String> textsOf(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode element : array) {
            if (out.size() >= MAX_ENTITIES) {
                break;
            }
            String value = optionalText(element, field);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** The strings of a string array, skipping the rest. */
    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode element : array) {
            if (out.size() >= MAX_ENTITIES) {
                break;
            }
            if (element.isTextual() && !element.textValue().isBlank()) {
                out.add(element.textValue());
            }
        }
        return out;
    }

    /** The values without exact duplicates, first occurrence first, at most {@link #MAX_ENTITIES}. */
    static String[] distinct(List<String> values) {
        Set<String> seen = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                seen.add(value);
                if (seen.size() >= MAX_ENTITIES) {
                    break;
                }
            }
        }
        return seen.toArray(new String[0]);
    }

    /** An object node whose field {@code idField} equals {@code id}, from an array, or null. */
    static ObjectNode findById(JsonNode array, String idField, String id) {
        if (id == null || array == null || !array.isArray()) {
            return null;
        }
        for (JsonNode element : array) {
            if (element.isObject() && id.equals(optionalId(element, idField))) {
                return (ObjectNode) element;
            }
        }
        return null;
    }

    /** A value quoted for a reason: at most 64 chars, control characters escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(value.length(), 64);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    private static boolean hasControlChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
