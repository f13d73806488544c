package io.tidings.job.cli;

import io.tidings.athena.LakeSql;
import io.tidings.athena.QueryResult;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code tidings query} and {@code tidings athena query} run: SQL, or one of the lake's named queries. */
class SqlOrNamedQuery {
    @Parameters(paramLabel = "SQL", description = "The SQL to run (DuckDB locally; Trino SQL on Athena).")
    String sql;

    @Option(names = "--named", paramLabel = "NAME", description = "Run a named query of the lake instead.")
    String named;

    /** The SQL to run; an unknown name is a readable IllegalArgumentException. */
    String resolve() {
        return named != null ? LakeSql.query(named).sql() : sql;
    }

    /** What a query command runs and how it prints the rows. */
    record Request(String sql, QueryResult.Format format) {}

    /**
     * The SQL ({@link #resolve}) and the output format of a query command; empty after printing the usage
     * error (an unknown format or named query), which the command then answers with {@link ExitCodes#USAGE}.
     */
    static Optional<Request> request(SqlOrNamedQuery what, OutputOptions output) {
        try {
            return Optional.of(new Request(what.resolve(), output.parsedFormat()));
        } catch (IllegalArgumentException e) {
            System.err.println("tidings: " + e.getMessage());
            return Optional.empty();
        }
    }
}
