package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.FakeAthenaServer;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.athena.QueryResult;
import io.tidings.athena.TestLake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tidings athena query|setup} end to end against the athena module's local Athena API (DuckDB behind it). */
class AthenaCommandTest {
    @TempDir
    static Path lake;

    static FakeAthenaServer athena;

    @BeforeAll
    static void start() throws Exception {
        TestLake.write(lake, 3, 20);
        athena = new FakeAthenaServer(lake, "tidings");
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        athena.close();
    }

    record Run(int exitCode, String out, String err) {}

    private static Run tidings(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--region", "eu-west-1", "--endpoint", athena.endpoint().toString(), "--workgroup", "analysts"));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new TidingsCli()).execute(all.toArray(new String[0]));
            return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aNamedQueryPrintsWhatTheLocalQueryPrints() throws Exception {
        Run run = tidings("athena", "query", "--named", "top_hashtags", "-f", "csv", "--output-location", "s3://results/");
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        try (LocalLake local = LocalLake.open(lake)) {
            assertThat(run.out()).isEqualTo(local.query(LakeSql.query("top_hashtags").sql(), 1000).format(QueryResult.Format.CSV));
        }
        assertThat(run.out()).startsWith("hashtag,posts,positive,neutral,negative\r\ntravel,");
    }

    @Test
    void aFailedQueryIsAClearErrorAndExitCodeOne() {
        Run run = tidings("athena", "query", "SELECT no_such_column FROM posts", "--output-location", "s3://results/");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("tidings: Athena query ").contains("FAILED").contains("no_such_column");
    }

    @Test
    void aRefusedRequestIsAClearErrorAndExitCodeOne() {
        Run run = tidings("athena", "query", "SELECT 1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("No output location provided");
    }

    @Test
    void anUnknownNamedQueryIsABadCommandLine() {
        Run run = tidings("athena", "query", "--named", "nope", "--output-location", "s3://results/");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no named query 'nope'");
    }

    @Test
    void setupTwiceSavesEachNamedQueryOnce() {
        Run first = tidings("athena", "setup", "--output-location", "s3://results/");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("created " + String.join(", ", LakeSql.QUERIES));
        Run second = tidings("athena", "setup", "--output-location", "s3://results/");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("created none; updated none; unchanged " + String.join(", ", LakeSql.QUERIES));
        assertThat(athena.namedQueryNames()).containsExactlyInAnyOrderElementsOf(LakeSql.QUERIES);
    }
}
