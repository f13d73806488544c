package io.tidings.dashboard.api;

import java.util.Map;

/** Reading the numbers of a query's row (LakeDatabase's JSON-ready values) into an answer's fields. */
final class Rows {
    /** Counting by sentiment, as every answer with a sentiment split does (columns negative, neutral, positive). */
    static final String SENTIMENT_COUNTS = "count_if(p.sentiment = 'negative') AS negative,"
            + " count_if(p.sentiment = 'neutral') AS neutral, count_if(p.sentiment = 'positive') AS positive";

    private Rows() {}

    /** A count or sum; SQL's NULL (a sum over no rows) is 0. */
    static long num(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    /** A timestamp or text column: LakeDatabase already gives timestamps as ISO-8601 strings. */
    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** Net sentiment of a row with negative, positive and scored counts. */
    static Double net(Map<String, Object> row) {
        return netOf(num(row.get("negative")), num(row.get("positive")), num(row.get("scored")));
    }

    /** (positive − negative) / scored; null (not 0) when nothing is scored, so "no data" is not "neutral". */
    static Double netOf(long negative, long positive, long scored) {
        return scored == 0 ? null : (double) (positive - negative) / scored;
    }
}
