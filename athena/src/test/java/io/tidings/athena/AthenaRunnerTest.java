package io.tidings.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;

/**
 * The Athena runner against {@link FakeAthenaServer}, which runs every query for real on DuckDB
 * over a generated lake: Athena's answers must equal the local lake's, row for row.
 */
class AthenaRunnerTest {
    @TempDir
    static Path lake;

    static FakeAthenaServer fake;
    static AthenaClient client;
    static LocalLake local;

    @BeforeAll
    static void start() throws Exception {
        TestLake.write(lake, 24, 105);
        fake = new FakeAthenaServer(lake, "tidings");
        // Credentials come from the default provider chain, as in real use; system properties are its first link.
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
        client = AthenaRunner.client("eu-west-1", fake.endpoint());
        local = LocalLake.open(lake);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        fake.close();
        local.close();
    }

    private static AthenaRunner runner(String workgroup, Duration timeout) {
        return new AthenaRunner(client, new AthenaRunner.Target(workgroup, "s3://results-bucket/athena/", "tidings", "AwsDataCatalog"),
                new AthenaRunner.Polling(Duration.ofMillis(5), Duration.ofMillis(40), timeout));
    }

    @Test
    void everyNamedQueryAnswersAsTheLocalLakeDespiteThrottling() throws Exception {
        fake.throttleEvery(4);
        try {
            int throttledBefore = fake.throttled();
            for (String name : LakeSql.QUERIES) {
                String sql = LakeSql.query(name).sql();
                QueryResult athena = runner("primary", Duration.ofSeconds(30)).query(sql, 10_000);
                QueryResult expected = local.query(sql, 10_000);
                assertThat(expected.rows()).as(name).isNotEmpty();
                assertThat(athena.columns()).as(name).isEqualTo(expected.columns());
                assertThat(EngineRows.comparable(athena.rows())).as(name).isEqualTo(EngineRows.comparable(expected.rows()));
                // Printed the same way as bin/tidings query prints the local answer.
                for (QueryResult.Format format : QueryResult.Format.values()) {
                    assertThat(athena.format(format)).as(name + " " + format).isEqualTo(expected.format(format));
                }
            }
            // The SDK's retries absorbed Athena's throttling: it happened, and every answer is complete.
            assertThat(fake.throttled()).isGreaterThan(throttledBefore);
        } finally {
            fake.throttleEvery(0);
        }
    }

    @Test
    void resultsOverSeveralPagesAreCompleteAndInOrder() throws Exception {
        String sql = "SELECT post_id, created_at, hashtags, like_count, sentiment FROM posts ORDER BY post_id";
        int pagesBefore = fake.calls("GetQueryResults");
        QueryResult athena = runner("primary", Duration.ofSeconds(30)).query(sql, 100_000);
        QueryResult expected = local.query(sql, 100_000);
        // 24 × 105 posts, one tombstoned; with the header row that is 2,520 rows: three pages of at most 1,000.
        assertThat(athena.rows()).hasSize(24 * 105 - 1);
        assertThat(fake.calls("GetQueryResults") - pagesBefore).isEqualTo(3);
        assertThat(athena.truncated()).isFalse();
        assertThat(EngineRows.comparable(athena.rows())).isEqualTo(EngineRows.comparable(expected.rows()));
        assertThat(athena.rows().get(0).get(2)).isEqualTo(List.of("Travel", "paris"));
        assertThat(athena.rows().get(0).get(1)).isEqualTo(LocalDateTime.parse("2026-11-20T00:00:00"));

        QueryResult firstRows = runner("primary", Duration.ofSeconds(30)).query(sql, 1500);
        assertThat(firstRows.rows()).hasSize(1500);
        assertThat(firstRows.truncated()).isTrue();
        assertThat(firstRows.rows()).isEqualTo(athena.rows().subList(0, 1500));
    }

    @Test
    void aFailedQueryNamesAthenasReason() {
        assertThatThrownBy(() -> runner("primary", Duration.ofSeconds(30)).query("SELECT no_such_column FROM posts", 10))
                .isInstanceOfSatisfying(AthenaQueryException.class, e -> {
                    assertThat(e.state()).isEqualTo("FAILED");
                    assertThat(e.queryExecutionId()).isNotBlank();
                })
                .hasMessageContaining("FAILED")
                .hasMessageContaining("no_such_column");
    }

    @Test
    void aQueryPastTheTimeoutIsStopped() {
        fake.holdRunning(true);
        try {
            assertThatThrownBy(() -> runner("primary", Duration.ofMillis(300)).query("SELECT count(*) FROM posts", 10))
                    .isInstanceOfSatisfying(AthenaQueryException.class, e -> {
                        assertThat(e.state()).isEqualTo("TIMED_OUT");
                        assertThat(fake.stopped()).contains(e.queryExecutionId());
                    })
                    .hasMessageContaining("stopped");
        } finally {
            fake.holdRunning(false);
        }
    }

    @Test
    void aMissingOutputLocationIsAthenasClearError() {
        AthenaRunner noOutput = new AthenaRunner(client, new AthenaRunner.Target("primary", null, "tidings", "AwsDataCatalog"),
                AthenaRunner.Polling.withTimeout(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> noOutput.query("SELECT 1", 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("No output location provided");
    }

    @Test
    void setupCreatesViewsAndEachNamedQueryOnce() {
        String workgroup = "setup-twice";
        int viewsBefore = fake.calls("StartQueryExecution");
        AthenaRunner.SetupReport first = runner(workgroup, Duration.ofSeconds(30)).setup();
        assertThat(first.views()).isEqualTo(LakeSql.VIEWS);
        assertThat(fake.calls("StartQueryExecution") - viewsBefore).isEqualTo(LakeSql.VIEWS.size());
        assertThat(first.created()).isEqualTo(LakeSql.QUERIES);

        AthenaRunner.SetupReport second = runner(workgroup, Duration.ofSeconds(30)).setup();
        assertThat(second.created()).isEmpty();
        assertThat(second.updated()).isEmpty();
        assertThat(second.unchanged()).isEqualTo(LakeSql.QUERIES);
        assertThat(runner(workgroup, Duration.ofSeconds(30)).namedQueries()).containsOnlyKeys(LakeSql.QUERIES);
        assertThat(runner(workgroup, Duration.ofSeconds(30)).namedQueries().get("overview").queryString())
                .isEqualTo(LakeSql.query("overview").sql());
    }

    @Test
    void setupUpdatesANamedQueryWhoseSqlChanged() {
        String workgroup = "setup-update";
        fake.saveNamedQuery("overview", "SELECT 1", workgroup);
        AthenaRunner.SetupReport report = runner(workgroup, Duration.ofSeconds(30)).setup();
        assertThat(report.updated()).containsExactly("overview");
        assertThat(report.created()).hasSize(LakeSql.QUERIES.size() - 1);
        assertThat(runner(workgroup, Duration.ofSeconds(30)).namedQueries().get("overview").queryString())
                .isEqualTo(LakeSql.query("overview").sql());
    }

    @Test
    void athenaTextBecomesTypedValues() {
        assertThat(AthenaRunner.typed("42", "bigint")).isEqualTo(42L);
        assertThat(AthenaRunner.typed("7", "integer")).isEqualTo(7);
        assertThat(AthenaRunner.typed("0.5", "double")).isEqualTo(0.5);
        assertThat(AthenaRunner.typed("2026-11-20 08:05:00.000", "timestamp")).isEqualTo(LocalDateTime.parse("2026-11-20T08:05"));
        assertThat(AthenaRunner.typed("2026-11-20 08:05:00.123456", "timestamp(6)"))
                .isEqualTo(LocalDateTime.parse("2026-11-20T08:05:00.123456"));
        assertThat(AthenaRunner.typed("[a, b]", "array(varchar)")).isEqualTo(List.of("a", "b"));
        assertThat(AthenaRunner.typed("[]", "array")).isEqualTo(List.of());
        assertThat(AthenaRunner.typed(null, "bigint")).isNull();
        assertThat(AthenaRunner.typed("not a number", "bigint")).isEqualTo("not a number");
    }
}
