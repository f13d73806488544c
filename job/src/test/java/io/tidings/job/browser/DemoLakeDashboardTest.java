package io.tidings.job.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.tidings.athena.LocalLake;
import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.browser.HeadlessChromium;
import io.tidings.job.JobSettings;
import io.tidings.job.LocalRunner;
import io.tidings.records.EntityKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo end to end in a browser: the job runs over the bundled sample on a MiniCluster into a
 * lake, the dashboard serves that lake, and the page headless chromium shows agrees with SQL over
 * the same files.
 */
class DemoLakeDashboardTest {
    static final Path DEMO_SAMPLE = Path.of("..", "demo", "btc-tweets.jsonl.gz");

    @TempDir
    Path dir;

    @Test
    void theOverviewOfTheDemoLakeMatchesSql() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            JobSettings.Builder settings = JobSettings.builder();
            settings.files(List.of(DEMO_SAMPLE.toAbsolutePath().toString()));
            settings.lake(dir.resolve("lake").toString());
            settings.checkpointDir(dir.resolve("checkpoints").toString());
            settings.checkpointInterval(Duration.ofSeconds(2));
            settings.parallelism(2);
            LocalRunner.Summary summary = new LocalRunner(settings.build(), null).run();
            assertThat(summary.posts()).isPositive();

            Path lake = dir.resolve("lake");
            try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake));
                    LocalLake sql = LocalLake.open(lake)) {
                chromium.driver.get(dashboard.url().resolve("/#view=overview").toString());
                new WebDriverWait(chromium.driver, Duration.ofSeconds(60))
                        .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
                assertThat(chromium.driver.findElement(By.id("error")).isDisplayed()).isFalse();

                assertThat(kpi(chromium, "kpi-posts")).isEqualTo(number(sql, "SELECT count(*) FROM posts"));
                assertThat(kpi(chromium, "kpi-authors")).isEqualTo(number(sql, "SELECT count(DISTINCT author_id) FROM posts"));
                assertThat(kpi(chromium, "kpi-reach")).isEqualTo(number(sql,
                        "SELECT sum(f) FROM (SELECT author_id, max(author_followers) AS f FROM posts GROUP BY author_id)"));
                double net = ((Number) sql.query("SELECT (count(*) FILTER (sentiment = 'positive')"
                        + " - count(*) FILTER (sentiment = 'negative')) / count(sentiment) FROM posts", 1).rows().get(0).get(0)).doubleValue();
                assertThat(Double.parseDouble(chromium.driver.findElement(By.id("kpi-net")).getAttribute("data-value")))
                        .isCloseTo(net, offset(1e-9));

                // The chart's buckets add up to every post; the top entity's count is SQL's.
                long charted = chromium.driver.findElements(By.cssSelector("#volume-table tbody tr")).stream()
                        .mapToLong(tr -> Long.parseLong(tr.findElements(By.cssSelector("td.num")).get(0)
                                .getAttribute("textContent").replace(",", "")))
                        .sum();
                assertThat(charted).isEqualTo(number(sql, "SELECT count(*) FROM posts"));
                List<WebElement> top = chromium.driver.findElements(By.cssSelector("#top-entities tbody tr"));
                assertThat(top).isNotEmpty();
                List<WebElement> cells = top.get(0).findElements(By.tagName("td"));
                String entity = cells.get(0).findElement(By.tagName("button")).getText();
                // Entities count by their canonical key: every spelling of the shown name (issue 18).
                assertThat(Long.parseLong(cells.get(2).getText().replace(",", ""))).isEqualTo(number(sql,
                        "SELECT count(DISTINCT post_id) FROM entities WHERE text_key = '" + EntityKey.of(entity).replace("'", "''")
                                + "' AND type = '" + cells.get(1).getText() + "'"));
                assertThat(chromium.driver.findElements(By.cssSelector("#latest-posts li.post"))).hasSize(20);
                assertThat(chromium.injectionEvidence()).isEmpty();
                chromium.screenshot("demo-overview");
            }
        }
    }

    private static long kpi(HeadlessChromium chromium, String id) {
        return Long.parseLong(chromium.driver.findElement(By.id(id)).getAttribute("data-value"));
    }

    private static long number(LocalLake sql, String query) throws Exception {
        return ((Number) sql.query(query, 1).rows().get(0).get(0)).longValue();
    }
}
