package io.tidings.job.cli;

import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.athena.QueryResult;
import io.tidings.job.TidingsJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tidings deadletters}: what was refused, and why. */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
        description = "Show the input records the job refused: counts by reason, then the latest ones"
                + " (source, position, reason). Files: LAKE/_deadletter/dt=*/part-*.jsonl (raw bytes in raw_base64).")
public class DeadLettersCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", defaultValue = "${env:TIDINGS_LAKE:-lake}",
            description = "Lake root (default: ${DEFAULT-VALUE}).")
    Path lake;

    @Option(names = "--limit", defaultValue = "20", description = "How many dead letters to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws SQLException {
        Path folder = lake.resolve(TidingsJob.DEAD_LETTERS);
        if (!hasFiles(folder)) {
            System.out.println("No dead letters in " + lake + ".");
            return ExitCodes.OK;
        }
        QueryResult.Format output = QueryResult.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        String letters = LakeSql.deadLetters(quote(folder.toAbsolutePath() + "/*/*.jsonl"));
        try (LocalLake local = LocalLake.open(lake)) {
            System.out.println("Dead letters by reason:");
            System.out.print(local.query("SELECT regexp_replace(reason, '[0-9]+', 'N', 'g') AS reason, count(*) AS records"
                    + " FROM " + letters + " GROUP BY 1 ORDER BY records DESC", 100).format(output));
            System.out.println();
            System.out.println("Latest " + limit + ":");
            System.out.print(local.query("SELECT failed_at, source, position, reason, raw_bytes FROM " + letters
                    + " ORDER BY failed_at DESC, source, position LIMIT " + limit, limit).format(output));
        }
        return ExitCodes.OK;
    }

    private static boolean hasFiles(Path folder) {
        try (var files = Files.find(folder, 2, (p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".jsonl")
                && !p.getFileName().toString().startsWith("."))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
