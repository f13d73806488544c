package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The page behind a token: given once in the address, it works from the cookie and leaves the address. */
class TokenPageTest {
    private static final String TOKEN = "page-test-token-7f3a";

    @TempDir
    Path dir;

    @Test
    void theTokenGivenOnceOpensEveryViewAndLeavesTheAddress() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            FixtureLake lake = KnownLake.write(Files.createDirectories(dir.resolve("lake")));
            try (Dashboard dashboard = Dashboard.start(new Dashboard.Options(lake.root(), "127.0.0.1", 0, TOKEN,
                    List.of(), null, null));
                    LocalLake sql = LocalLake.open(lake.root())) {
                // Without it: the server's refusal, and no page.
                chromium.driver.get(dashboard.url().resolve("/#view=overview").toString());
                assertThat(chromium.driver.findElements(By.id("kpi-posts"))).isEmpty();
                assertThat(chromium.driver.getPageSource()).contains("token");

                chromium.driver.get(dashboard.url().resolve("/?token=" + TOKEN + "#view=overview").toString());
                awaitRender(chromium);
                long posts = ((Number) sql.query("SELECT count(*) FROM posts", 1).rows().get(0).get(0)).longValue();
                assertThat(chromium.driver.findElement(By.id("kpi-posts")).getAttribute("data-value")).isEqualTo(String.valueOf(posts));
                assertThat(chromium.driver.getCurrentUrl()).doesNotContain(TOKEN).endsWith("/#view=overview");

                // Later visits carry the cookie only.
                chromium.driver.get("about:blank");
                chromium.driver.get(dashboard.url().resolve("/#view=feed").toString());
                awaitRender(chromium);
                assertThat(chromium.driver.findElement(By.id("feed-total")).getAttribute("data-value")).isEqualTo(String.valueOf(posts));
                assertThat(chromium.injectionEvidence()).isEmpty();
            }
        }
    }

    private static void awaitRender(HeadlessChromium chromium) {
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
        assertThat(chromium.driver.findElement(By.id("error")).isDisplayed()).as("page error box").isFalse();
    }
}
