package io.tidings.job.cli;

import io.tidings.athena.LocalLake;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidings query}: SQL over the local lake with DuckDB. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Ask the local lake a question in SQL (DuckDB). Live posts (deleted ones left out): posts,"
                + " entities; views: posts_enriched, hourly_sentiment, top_entities, top_hashtags;"
                + " everything as written: posts_all, entities_all, tombstones.",
                "Named queries: --named overview|sentiment_by_hour|top_entities|top_hashtags|languages|most_engaged."})
public class QueryCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", defaultValue = "${env:TIDINGS_LAKE:-lake}",
            description = "Lake root (default: ${DEFAULT-VALUE}).")
    Path lake;

    @Mixin
    OutputOptions output;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SqlOrNamedQuery what;

    @Override
    public Integer call() {
        SqlOrNamedQuery.Request request = SqlOrNamedQuery.request(what, output).orElse(null);
        if (request == null) {
            return ExitCodes.USAGE;
        }
        if (lake.toString().matches("s3a?:/.*")) {
            System.err.println("tidings: query reads a local lake only; query an s3:// lake with `tidings athena query`"
                    + " (Glue tables: see glue/README.md)");
            return ExitCodes.USAGE;
        }
        try (LocalLake local = LocalLake.open(lake)) {
            System.out.print(local.query(request.sql(), output.maxRows).format(request.format()));
            return ExitCodes.OK;
        } catch (SQLException e) {
            System.err.println("tidings: query failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
