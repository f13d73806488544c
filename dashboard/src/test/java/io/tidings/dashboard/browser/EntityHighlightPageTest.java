package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Entity highlighting at UTF-16 offsets: after characters outside the BMP (two UTF-16 units each),
 * and with offsets a buggy or hostile writer could leave (overlapping, out of bounds, reversed,
 * negative), which the page ignores while still showing the whole text.
 */
class EntityHighlightPageTest {
    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void marksSitAtUtf16OffsetsAndBadOffsetsAreIgnored() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            FixtureLake lake = FixtureLake.at(Files.createDirectories(dir.resolve("lake")));
            String rockets = "\uD83D\uDE80\uD83D\uDE80 Bitcoin to the \uD83C\uDF15 with Satoshi";
            lake.post("x:astral", AT, rockets);
            lake.entity("x:astral", "Bitcoin", "ORG", 5, 12, 0.9);
            lake.entity("x:astral", "Satoshi", "PER", rockets.indexOf("Satoshi"), rockets.length(), 0.9);
            String crowded = "Ethereum and Solana";
            lake.post("x:crowded", AT.minusSeconds(60), crowded);
            lake.entity("x:crowded", "Ethereum", "ORG", 0, 8, 0.9);
            lake.entity("x:crowded", "Ether", "ORG", 0, 5, 0.9);            // inside the previous one
            lake.entity("x:crowded", "thereum an", "MISC", 1, 11, 0.5);     // overlaps it
            lake.entity("x:crowded", "Solana", "ORG", 13, 19, 0.9);
            lake.entity("x:crowded", "beyond", "LOC", 15, 400, 0.9);        // past the end
            lake.entity("x:crowded", "reversed", "LOC", 12, 3, 0.9);
            lake.entity("x:crowded", "negative", "LOC", -4, 2, 0.9);
            lake.commit();

            try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake.root()))) {
                chromium.driver.get(dashboard.url().resolve("/#view=feed").toString());
                new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                        .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);

                WebElement astral = chromium.driver.findElement(By.cssSelector("li.post[data-post-id='x:astral'] p.text"));
                assertThat(astral.getDomProperty("textContent")).isEqualTo(rockets);
                assertThat(marks(astral)).containsExactly("Bitcoin", "Satoshi");
                assertThat(astral.findElement(By.cssSelector("mark.ORG")).getText()).isEqualTo("Bitcoin");

                WebElement crowdedText = chromium.driver.findElement(By.cssSelector("li.post[data-post-id='x:crowded'] p.text"));
                assertThat(crowdedText.getDomProperty("textContent")).isEqualTo(crowded);
                assertThat(marks(crowdedText)).containsExactly("Ethereum", "Solana");

                // A mark opens its entity's page.
                String before = chromium.driver.findElement(By.tagName("body")).getAttribute("data-rendered");
                astral.findElement(By.cssSelector("mark.PER")).click();
                new WebDriverWait(chromium.driver, Duration.ofSeconds(30)).until(d ->
                        !before.equals(d.findElement(By.tagName("body")).getAttribute("data-rendered")));
                assertThat(chromium.driver.findElement(By.id("entity-title")).getText()).isEqualTo("Satoshi (PER)");
                assertThat(chromium.injectionEvidence()).isEmpty();
                chromium.screenshot("entity-highlights");
            }
        }
    }

    private static List<String> marks(WebElement text) {
        return text.findElements(By.tagName("mark")).stream().map(m -> m.getDomProperty("textContent")).toList();
    }
}
