package io.tidings.athena;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows of a query, from DuckDB locally or Athena in the cloud, printable as an aligned table, CSV
 * (RFC 4180) or JSON lines, so both engines answer in the same shapes.
 *
 * @param truncated whether more rows existed than were fetched
 */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {

    /** Output formats of {@code bin/tidings query}. */
    public enum Format { TABLE, CSV, JSON }

    /**
     * Reads at most {@code maxRows} rows of a JDBC result, each value through {@code value}
     * (e.g. arrays to lists); {@code truncated} when more rows were left unread.
     */
    public static QueryResult read(ResultSet rs, int maxRows, SqlValue value) throws SQLException {
        return read(rs, maxRows, value, () -> false);
    }

    /** As {@link #read(ResultSet, int, SqlValue)}, also stopping (truncated) once {@code full} says so after a row. */
    public static QueryResult read(ResultSet rs, int maxRows, SqlValue value, java.util.function.BooleanSupplier full)
            throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == maxRows || full.getAsBoolean()) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(value.convert(rs.getObject(i)));
            }
            rows.add(row);
        }
        return new QueryResult(columns, rows, truncated);
    }

    /** How a JDBC value becomes the value a result holds. */
    @FunctionalInterface
    public interface SqlValue {
        Object convert(Object jdbcValue) throws SQLException;
    }

    public String format(Format format) {
        return switch (format) {
            case TABLE -> table(60);
            case CSV -> csv();
            case JSON -> jsonLines();
        };
    }

    /** An aligned text table; cells longer than {@code maxCell} characters are cut with an ellipsis. */
    public String table(int maxCell) {
        List<String[]> cells = new ArrayList<>();
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
        }
        for (List<Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < line.length; c++) {
                String text = text(row.get(c)).replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
                if (text.length() > maxCell) {
                    text = text.substring(0, maxCell - 1) + "…";
                }
                line[c] = text;
                widths[c] = Math.max(widths[c], text.length());
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, columns.toArray(new String[0]), widths);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
        cells.forEach(line -> appendRow(out, line, widths));
        out.append('(').append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
                .append(truncated ? ", more not shown" : "").append(")\n");
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            out.append(c == 0 ? "" : " | ").append(cells[c]).append(" ".repeat(widths[c] - cells[c].length()));
        }
        out.append('\n');
    }

    public String csv() {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns.stream().map(QueryResult::csvCell).toList())).append("\r\n");
        for (List<Object> row : rows) {
            out.append(String.join(",", row.stream().map(v -> v == null ? "" : csvCell(text(v))).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** One JSON object per row and line. */
    public String jsonLines() {
        StringBuilder out = new StringBuilder();
        for (List<Object> row : rows) {
            out.append('{');
            for (int c = 0; c < columns.size(); c++) {
                out.append(c == 0 ? "" : ",").append(jsonString(columns.get(c))).append(':');
                appendJson(out, row.get(c));
            }
            out.append("}\n");
        }
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            String s = v.toString();
            out.append(s.equals("NaN") || s.contains("Infinity") ? "null" : s);
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                appendJson(out, list.get(i));
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",").append(jsonString(String.valueOf(e.getKey()))).append(':');
                appendJson(out, e.getValue());
                first = false;
            }
            out.append('}');
        } else {
            out.append(jsonString(text(v)));
        }
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        // One spelling for timestamps whichever engine answered: DuckDB's JDBC gives
        // java.sql.Timestamp, the Athena runner LocalDateTime; seconds always, fraction when not zero.
        if (v instanceof java.sql.Timestamp t) {
            return TIMESTAMP.format(t.toLocalDateTime());
        }
        if (v instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (v instanceof TemporalAccessor || v instanceof java.util.Date) {
            return v.toString().replace('T', ' ');
        }
        if (v instanceof List<?> list) {
            return list.toString();
        }
        return v.toString();
    }
}
