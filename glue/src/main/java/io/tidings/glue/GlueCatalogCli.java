package io.tidings.glue;

import io.tidings.athena.LakeLayout;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code create-tables} and {@code register-partitions} from the command line (deploy.sh runs the
 * first). Credentials and region come from the AWS default chain unless given.
 */
@Command(name = "tidings-glue", mixinStandardHelpOptions = true,
        description = "The tidings lake in the AWS Glue Data Catalog.",
        subcommands = {GlueCatalogCli.CreateTables.class, GlueCatalogCli.RegisterPartitions.class})
public final class GlueCatalogCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options every command shares. */
    static class Target {
        @Option(names = "--database", defaultValue = "tidings", description = "Glue database (default: ${DEFAULT-VALUE}).")
        String database;

        @Option(names = "--lake", required = true, paramLabel = "s3://BUCKET/PREFIX",
                description = "The lake root (s3a:// is catalogued as s3://, the scheme Athena reads).")
        String lake;

        @Option(names = "--region", description = "AWS region (default: the AWS default chain).")
        String region;

        @Option(names = "--endpoint", paramLabel = "URL", description = "Glue and S3 endpoint (a local emulator).")
        URI endpoint;

        @Option(names = "--partition", paramLabel = "hour|day", defaultValue = "hour",
                description = "How the lake is partitioned, as the job's --partition (default: ${DEFAULT-VALUE}).")
        String partition;

        GlueLakeCatalog catalog(GlueClient glue) {
            return new GlueLakeCatalog(glue, database, GlueTableInputs.catalogUri(lake), LakeLayout.parse(partition));
        }

        GlueClient client() {
            return GlueClients.create(region, endpoint);
        }

        S3Client s3() {
            S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
            if (region != null) {
                builder.region(Region.of(region));
            }
            if (endpoint != null) {
                builder.endpointOverride(endpoint).forcePathStyle(true);
            }
            return builder.build();
        }
    }

    @Command(name = "create-tables", mixinStandardHelpOptions = true,
            description = "Create the database, the tables posts_all, entities_all and tombstones (partition projection on)"
                    + " and the views posts and entities (live posts: deleted ones left out), or update them.")
    static final class CreateTables implements Callable<Integer> {
        @CommandLine.Mixin
        Target target;

        @Option(names = "--first-day", paramLabel = "YYYY-MM-DD",
                description = "First day partition projection covers, for data still to come (backfills). The range"
                        + " starts at the earliest of this, the tables' current start and the lake's first day"
                        + " (today if none), and never moves later.")
        LocalDate firstDay;

        @Override
        public Integer call() {
            try (GlueClient glue = target.client(); S3Client s3 = target.s3()) {
                Optional<LocalDate> tablesStart = ProjectionFirstDay.ofTables(glue, target.database);
                Optional<LocalDate> firstInLake = ProjectionFirstDay.ofLake(s3, target.lake);
                LocalDate first = ProjectionFirstDay.choose(Optional.ofNullable(firstDay), tablesStart, firstInLake,
                        LocalDate.now(ZoneOffset.UTC));
                GlueLakeCatalog catalog = target.catalog(glue);
                boolean created = catalog.ensureDatabase();
                catalog.ensureTables(first.toString());
                System.out.printf("tidings-glue: database %s %s; tables posts_all, entities_all, tombstones"
                                + " at %s from %s (asked: %s, tables: %s, lake: %s); views posts, entities%n",
                        target.database, created ? "created" : "exists", GlueTableInputs.catalogUri(target.lake), first,
                        firstDay == null ? "-" : firstDay, tablesStart.map(LocalDate::toString).orElse("-"),
                        firstInLake.map(LocalDate::toString).orElse("-"));
            }
            return 0;
        }
    }

    @Command(name = "register-partitions", mixinStandardHelpOptions = true,
            description = "Register every partition (hour, or day with --partition day) of the given days (for engines"
                    + " without partition projection).")
    static final class RegisterPartitions implements Callable<Integer> {
        @CommandLine.Mixin
        Target target;

        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD")
        LocalDate from;

        @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (default: --from).")
        LocalDate to;

        @Override
        public Integer call() {
            try (GlueClient glue = target.client()) {
                int created = target.catalog(glue).registerPartitions(
                        LakePartition.of(LakeLayout.parse(target.partition), from, to != null ? to : from));
                System.out.printf("tidings-glue: %d partitions registered%n", created);
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command; @return its exit code */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new GlueCatalogCli());
        cli.registerConverter(LocalDate.class, LocalDate::parse);
        return cli.execute(args);
    }
}
