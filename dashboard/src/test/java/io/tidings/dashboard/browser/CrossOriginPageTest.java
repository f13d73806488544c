package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A web page on another origin, opened in a real browser while the dashboard runs on 127.0.0.1,
 * tries every way a page can reach it: fetch with {@code text/plain} (no preflight), with
 * {@code no-cors}, with JSON (preflight), a form posted into a hidden frame, an image and a script
 * pointing at the download and the API. None of them runs a query or reads an answer. The same
 * browser then runs a query on the dashboard's own page, which shows the count would have moved.
 */
class CrossOriginPageTest {
    @TempDir
    Path dir;

    private static final String ATTACK = """
            <!doctype html><html><head><meta charset="utf-8"><title>an ordinary page</title></head><body>
            <iframe name="sink" id="sink"></iframe>
            <form id="form" method="POST" enctype="text/plain" target="sink">
              <input name='{"sql": "SELECT 42 AS answer", "x": "' value='"}'>
            </form>
            <script>
            const target = TARGET;
            const sql = JSON.stringify({sql: 'SELECT 42 AS answer'});
            const results = {};
            async function attempt(name, send) {
              try {
                const r = await send();
                let body = '';
                try { body = await r.text(); } catch (e) { body = 'unreadable'; }
                results[name] = 'answered ' + r.type + ' ' + r.status + ' ' + body.slice(0, 200);
              } catch (e) {
                results[name] = 'blocked ' + e.name;
              }
            }
            function loaded(element) {
              return new Promise(done => {
                element.onload = () => done('load');
                element.onerror = () => done('error');
                setTimeout(() => done('timeout'), 5000);
              });
            }
            (async () => {
              await attempt('text-plain', () => fetch(target + 'api/sql', {method: 'POST', body: sql,
                  headers: {'Content-Type': 'text/plain'}}));
              await attempt('no-cors', () => fetch(target + 'api/sql', {method: 'POST', mode: 'no-cors', body: sql}));
              await attempt('json', () => fetch(target + 'api/sql', {method: 'POST', body: sql,
                  headers: {'Content-Type': 'application/json'}}));
              await attempt('credentials', () => fetch(target + 'api/sql', {method: 'POST', body: sql,
                  credentials: 'include', headers: {'Content-Type': 'application/json'}}));
              await attempt('download', () => fetch(target + 'api/sql/download?format=csv&sql=SELECT%2042'));
              await attempt('download-no-cors', () => fetch(target + 'api/sql/download?format=csv&sql=SELECT%2042',
                  {mode: 'no-cors'}));
              await attempt('overview', () => fetch(target + 'api/overview'));
              const form = document.getElementById('form');
              form.action = target + 'api/sql';
              const frame = loaded(document.getElementById('sink'));
              form.submit();
              results['form'] = await frame;
              const img = new Image();
              const image = loaded(img);
              img.src = target + 'api/sql/download?format=csv&sql=SELECT%2043';
              results['img'] = await image;
              const script = document.createElement('script');
              const scripted = loaded(script);
              script.src = target + 'api/sql/download?format=csv&sql=SELECT%2044';
              document.body.appendChild(script);
              results['script'] = await scripted;
              window.__results = results;
            })();
            </script></body></html>
            """;

    @Test
    void aPageOnAnotherOriginCannotRunOrReadAQuery() throws Exception {
        FixtureLake lake = KnownLake.write(Files.createDirectories(dir.resolve("lake")));
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (HeadlessChromium chromium = HeadlessChromium.start();
                Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake.root()))) {
            byte[] page = ATTACK.replace("TARGET", "'" + dashboard.url() + "'").getBytes(StandardCharsets.UTF_8);
            attacker.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            attacker.start();
            long before = dashboard.sqlStatementsRun();

            // Another origin: 'localhost' and another port, while the dashboard is at 127.0.0.1.
            chromium.driver.get("http://localhost:" + attacker.getAddress().getPort() + "/");
            @SuppressWarnings("unchecked")
            Map<String, Object> results = (Map<String, Object>) new WebDriverWait(chromium.driver, Duration.ofSeconds(40))
                    .until(d -> chromium.driver.executeScript("return window.__results || null;"));
            assertThat(results).containsOnlyKeys("text-plain", "no-cors", "json", "credentials", "download", "download-no-cors",
                    "overview", "form", "img", "script");
            for (Map.Entry<String, Object> result : results.entrySet()) {
                assertThat(String.valueOf(result.getValue())).as(result.getKey()).doesNotContain("42").doesNotContain("posts");
            }
            // Answers the page got at all are opaque (no-cors) or the server's refusal, never data.
            assertThat(results.get("json")).asString().startsWith("blocked");
            assertThat(results.get("overview")).asString().startsWith("blocked");
            assertThat(dashboard.sqlStatementsRun()).as("queries run for the other page").isEqualTo(before);

            // Nor can it open the dashboard's own page with its SQL in the address (a link, a
            // window.open): the query fills the box and waits for Run.
            chromium.driver.executeScript("window.location.href = arguments[0];",
                    dashboard.url() + "#view=sql&sql=" + java.net.URLEncoder.encode("SELECT 42 AS answer", StandardCharsets.UTF_8));
            new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
            assertThat(chromium.driver.findElement(By.id("sql-text")).getAttribute("value")).isEqualTo("SELECT 42 AS answer");
            assertThat(chromium.driver.findElement(By.id("sql-status")).getText()).contains("Press Run");
            assertThat(chromium.driver.findElements(By.cssSelector("#sql-results tbody td"))).isEmpty();
            assertThat(dashboard.sqlStatementsRun()).isEqualTo(before);

            // The dashboard's own page in the same browser runs its query.
            chromium.driver.get(dashboard.url().resolve("/#view=sql").toString());
            new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
            WebElement textarea = chromium.driver.findElement(By.id("sql-text"));
            textarea.clear();
            textarea.sendKeys("SELECT 42 AS answer");
            textarea.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
            new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                    .until(d -> !d.findElements(By.cssSelector("#sql-results tbody td")).isEmpty());
            assertThat(chromium.driver.findElements(By.cssSelector("#sql-results tbody td")).stream()
                    .map(WebElement::getText).toList()).isEqualTo(List.of("42"));
            assertThat(dashboard.sqlStatementsRun()).isEqualTo(before + 1);
        } finally {
            attacker.stop(0);
        }
    }
}
