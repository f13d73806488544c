package io.tidings.job.cli;

import io.tidings.athena.LakeSql;
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
}
