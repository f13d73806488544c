package io.tidings.job.cli;

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
}
