package io.tidings.job.cli;

import io.tidings.athena.LakeSql;
import io.tidings.athena.QueryResult;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How a query's rows are printed, the same for {@code tidings query} (DuckDB) and {@code tidings athena query}. */
class OutputOptions {
    @Option(names = {"-f", "--format"}, defaultValue = "table",
            description = "table, csv or json (JSON lines) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--max-rows", defaultValue = "1000", description = "Most rows to print (default: ${DEFAULT-VALUE}).")
    int maxRows;

    /** The chosen format; a readable {@link IllegalArgumentException} for anything else. */
    QueryResult.Format parsedFormat() {
        try {
            return QueryResult.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be table, csv or json, not " + format);
        }
    }

    /** The SQL to run: a named query of the lake's when {@code named} is set (unknown names: IllegalArgumentException). */
    static String sqlOf(String sql, String named) {
        return named != null ? LakeSql.query(named).sql() : sql;
    }
}
