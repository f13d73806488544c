package io.tidings.job.cli;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidings demo}: the bundled sample of real tweets through the whole job on a local
 * MiniCluster into a local lake, then a few answers from it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the job over the bundled sample (2,495 real tweets of the Broad Twitter Corpus, CC-BY 4.0)"
                + " into a local lake, then print a summary. Re-running replaces the demo lake.")
public class DemoCommand implements Callable<Integer> {
    /** Marks a lake as the demo's, so a later demo may replace it and never a user's lake. */
    static final String DEMO_MARKER = ".tidings-demo";
    /** Rows of each table the demo prints: the whole output fits on one screen. */
    static final int DEMO_ROWS = 5;

    @Option(names = "--lake", paramLabel = "DIR", defaultValue = "${env:TIDINGS_LAKE:-lake}",
            description = "Lake root (default: ${DEFAULT-VALUE}).")
    Path lake;

    @Option(names = "--sample", paramLabel = "FILE", description = "Sample to read (default: the bundled one).")
    Path sample;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--no-serve", description = "Exit after the summary instead of serving the dashboard over the demo lake.")
    boolean noServe;

    @Option(names = "--port", defaultValue = "8080", description = "Dashboard port after the demo; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        Path input = sample != null ? sample : Path.of(System.getProperty("tidings.home", "."), "demo", "btc-tweets.jsonl.gz");
        if (!Files.isRegularFile(input)) {
            System.err.println("tidings: demo sample not found: " + input);
            return ExitCodes.NO_INPUT;
        }
        if (Files.isDirectory(lake) && !isEmpty(lake) && !Files.exists(lake.resolve(DEMO_MARKER))) {
            System.err.println("tidings: " + lake + " holds a lake that is not the demo's; not touching it."
                    + " Give the demo another place with --lake DIR.");
            return ExitCodes.FAILED;
        }
        deleteRecursively(lake);
        Files.createDirectories(lake);
        Files.writeString(lake.resolve(DEMO_MARKER), "written by tidings demo; the next demo replaces this lake\n");
        Path checkpoints = Files.createTempDirectory("tidings-demo-checkpoints");

        JobSettings settings = JobSettings.builder()
                .files(List.of(input.toString()))
                .lake(lake.toString())
                .checkpointDir(checkpoints.toString())
                .checkpointInterval(java.time.Duration.ofSeconds(10))
                .parallelism(parallelism)
                .fileRules(List.of("demo"))
                // The sample spans 2012 to 2014: an archive, partitioned by day as README advises for one (by
                // hour it made ~1,500 one-post files per table, and the demo took twice as long).
                .partition(LakeLayout.DAY)
                .build();
        System.err.println("tidings demo: " + input.getFileName() + " → job on a local Flink MiniCluster → " + lake);
        LocalRunner.Summary summary = new LocalRunner(settings, System.err).launchedAt(LocalRunner.jvmStart()).run();
        deleteRecursively(checkpoints);

        try (LocalLake local = LocalLake.open(lake)) {
            for (String name : List.of("overview", "top_entities", "top_hashtags")) {
                LakeSql.Named query = LakeSql.query(name);
                System.out.println();
                System.out.println("## " + name + ": " + query.description());
                System.out.print(local.query(query.sql(), DEMO_ROWS).table(50));
            }
        }
        System.out.println();
        System.out.println("Ask more:  bin/tidings query \"select sentiment, count(*) from posts group by 1\""
                + (lake.equals(Path.of("lake")) ? "" : " --lake " + lake));
        TerminalText.println("tidings demo: " + summary);
        if (noServe) {
            return ExitCodes.OK;
        }
        ServeCommand.start(new io.tidings.dashboard.Dashboard.Options(lake, "127.0.0.1", port, null, List.of(), null, null))
                .awaitShutdown();
        return ExitCodes.OK;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Deletes {@code dir} and everything in it. Files that vanish meanwhile are fine: Flink discards
     * subsumed checkpoints asynchronously, and on a busy machine it may still be doing so in the
     * checkpoint folder after the job returned (the demo failed at its end with a
     * NoSuchFileException for a {@code chk-N/_metadata}).
     */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                throw e.getCause();
            }
            deleteRecursively(dir); // something vanished mid-walk: walk what is left
            return;
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
