package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A firing alert shows on every view as a banner that leads to the health view, which lists rules and events. */
class AlertsPageTest {
    @TempDir
    Path dir;

    @Test
    void aFiringRuleShowsAsABannerAndOnTheHealthView() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            FixtureLake lake = KnownLake.write(Files.createDirectories(dir.resolve("lake")));
            // "busy" fires on any lake with posts in the last 30 days of it; "never" cannot fire.
            List<String> rules = List.of("busy=volume>0 over 30d min=1", "never=volume<0 over 1h min=1");
            try (Dashboard dashboard = Dashboard.start(new Dashboard.Options(lake.root(), "127.0.0.1", 0, null,
                    rules, null, null))) {
                dashboard.alerts().evaluate();
                chromium.driver.get(dashboard.url().resolve("/#view=overview").toString());
                WebDriverWait wait = new WebDriverWait(chromium.driver, Duration.ofSeconds(30));
                WebElement banner = chromium.driver.findElement(By.id("alert-banner"));
                wait.until(d -> banner.isDisplayed());
                assertThat(banner.getText()).isEqualTo("Alert firing: busy (details on the health view)");

                banner.click();
                wait.until(d -> d.getCurrentUrl().contains("view=health")
                        && d.findElements(By.cssSelector("#health-alert-events tbody tr")).size() == 1);
                List<String> ruleRows = chromium.driver.findElements(By.cssSelector("#health-alerts tbody tr")).stream()
                        .map(WebElement::getText).toList();
                assertThat(ruleRows).hasSize(2);
                assertThat(ruleRows.get(0)).startsWith("busy firing");
                assertThat(ruleRows.get(1)).startsWith("never ok");
                assertThat(chromium.driver.findElement(By.cssSelector("#health-alert-events tbody tr")).getText())
                        .contains("busy").contains("volume");
                assertThat(chromium.injectionEvidence()).isEmpty();
                chromium.screenshot("alerts-health");
            }
        }
    }
}
