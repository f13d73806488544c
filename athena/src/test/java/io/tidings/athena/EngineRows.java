package io.tidings.athena;

import java.math.BigInteger;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Rows of different engines as comparable values, for tests that run the same SQL on DuckDB and on Athena or Trino. */
final class EngineRows {
    private EngineRows() {}

    /**
     * DuckDB's JDBC values as the types the Athena runner and Trino answer with: timestamps as
     * {@link java.time.LocalDateTime}, dates as {@link java.time.LocalDate}, HUGEINT counts (count_if, sum)
     * as bigint; other values unchanged.
     */
    static List<List<Object>> comparable(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> values = new ArrayList<>();
            for (Object v : row) {
                values.add(v instanceof Timestamp t ? t.toLocalDateTime()
                        : v instanceof BigInteger b ? (Object) b.longValueExact()
                        : v instanceof Date d ? d.toLocalDate()
                        : v);
            }
            out.add(values);
        }
        return out;
    }
}
