package io.tidings.job.cli;

import io.tidings.athena.AthenaQueryException;
import io.tidings.athena.AthenaRunner;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;

/** {@code tidings athena}: the lake's SQL on Amazon Athena (an {@code s3://} lake with its Glue tables). */
@Command(name = "athena", mixinStandardHelpOptions = true,
        description = {"Query an s3:// lake with Amazon Athena, or set up its views and named queries there.",
                "Credentials and (without --region) the region come from the AWS default chain."},
        subcommands = {AthenaCommand.Query.class, AthenaCommand.Setup.class})
public class AthenaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where and how queries run; shared by the subcommands. */
    static class Connection {
        @Option(names = "--region", description = "AWS region (default: the AWS default chain).")
        String region;

        @Option(names = "--workgroup", defaultValue = "primary", description = "Athena workgroup (default: ${DEFAULT-VALUE}).")
        String workgroup;

        @Option(names = "--output-location", paramLabel = "s3://…/",
                description = "Where Athena writes result files; needed unless the workgroup enforces its own.")
        String outputLocation;

        @Option(names = "--database", defaultValue = "tidings", description = "Glue database of the lake's tables (default: ${DEFAULT-VALUE}).")
        String database;

        @Option(names = "--catalog", defaultValue = "AwsDataCatalog", description = "Data catalog (default: ${DEFAULT-VALUE}).")
        String catalog;

        @Option(names = "--endpoint", paramLabel = "URL", description = "Athena endpoint instead of the regional one (VPC endpoint, tests).")
        URI endpoint;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "Stop a query still running after this long (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        AthenaClient client() {
            return AthenaRunner.client(region, endpoint);
        }

        AthenaRunner runner(AthenaClient client) {
            return new AthenaRunner(client, new AthenaRunner.Target(workgroup, outputLocation, database, catalog),
                    AthenaRunner.Polling.withTimeout(Duration.ofSeconds(timeoutSeconds)));
        }
    }

    /** Runs {@code work}; a query Athena did not answer or a refused request becomes a message and exit code 1. */
    static int reportingFailures(Callable<Integer> work) {
        try {
            return work.call();
        } catch (AthenaQueryException e) {
            System.err.println("tidings: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (SdkException e) {
            System.err.println("tidings: Athena request failed: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (Exception e) {
            System.err.println("tidings: athena: " + e);
            return ExitCodes.FAILED;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {"Run SQL, or a named query of the lake, on Athena and print the rows like `tidings query`.",
                    "Named queries: --named overview|sentiment_by_hour|top_entities|top_hashtags|languages|most_engaged."})
    static class Query implements Callable<Integer> {
        @Mixin
        Connection connection;

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
            return reportingFailures(() -> {
                try (AthenaClient client = connection.client()) {
                    System.out.print(connection.runner(client).query(request.sql(), output.maxRows).format(request.format()));
                    return ExitCodes.OK;
                }
            });
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "Create or replace the lake's views in the database and save its named queries in the workgroup"
                    + " (each once: existing ones of the same name are updated, not duplicated).")
    static class Setup implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            return reportingFailures(() -> {
                try (AthenaClient client = connection.client()) {
                    AthenaRunner.SetupReport report = connection.runner(client).setup();
                    System.out.println("views created or replaced in " + connection.database + ": " + String.join(", ", report.views()));
                    System.out.println("named queries in workgroup " + connection.workgroup + ": created "
                            + names(report.created()) + "; updated " + names(report.updated())
                            + "; unchanged " + names(report.unchanged()));
                    return ExitCodes.OK;
                }
            });
        }

        private static String names(java.util.List<String> names) {
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }
}
