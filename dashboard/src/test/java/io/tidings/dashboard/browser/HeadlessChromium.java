package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.CapabilityType;

/**
 * The system's Debian {@code chromium}, headless, driven through its own {@code chromedriver}.
 * Both paths are given explicitly so Selenium Manager never looks for (or downloads) a browser.
 * Missing browser: the test is skipped with a message, or fails when {@code
 * TIDINGS_REQUIRE_TOOLS=1} (CI, where {@code .ci/run} installs it).
 *
 * <p>Before any page script runs, a probe records what a successful injection would do: calls to
 * {@code alert/confirm/prompt} and Content-Security-Policy violations (markup the page injected that
 * the CSP then blocked). The XSS payloads set {@code window.__xss}; {@link #injectionEvidence}
 * gathers all three. Shared with the job module's browser test through this module's test-jar.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final String PROBE = """
            window.__dialogs = [];
            window.__cspViolations = [];
            ['alert', 'confirm', 'prompt'].forEach(function (name) {
              window[name] = function (message) { window.__dialogs.push(name + ':' + message); return null; };
            });
            document.addEventListener('securitypolicyviolation', function (e) {
              window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
            });
            """;

    public final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts the browser, or skips/fails the calling test as described above. */
    public static HeadlessChromium start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        boolean required = "1".equals(System.getenv("TIDINGS_REQUIRE_TOOLS"));
        assumeTrue(present || required, "chromium or chromedriver not installed (apt-get install chromium chromium-driver)");
        assertThat(present).as("%s and %s (TIDINGS_REQUIRE_TOOLS is set)", CHROMIUM, CHROMEDRIVER).isTrue();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=1280,1000", "--lang=en-US");
        // A dialog stays open instead of being dismissed, so a test can see that one opened.
        options.setCapability(CapabilityType.UNHANDLED_PROMPT_BEHAVIOUR, UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
        return new HeadlessChromium(driver);
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Alerts called, CSP violations and whether {@code window.__xss} got set: all empty when nothing ran. */
    @SuppressWarnings("unchecked")
    public List<Object> injectionEvidence() {
        return (List<Object>) driver.executeScript(
                "return [].concat(window.__dialogs || ['probe missing'], window.__cspViolations || [],"
                        + " window.__xss === undefined ? [] : ['window.__xss=' + window.__xss]);");
    }

    /** Saves a PNG under target/screenshots/ (kept as a test artifact). */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File png = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
