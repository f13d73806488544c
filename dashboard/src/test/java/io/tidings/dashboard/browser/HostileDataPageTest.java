package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A lake whose post texts, author names and handles, URLs, hashtags, rules, entity strings, emotion
 * labels and dead-letter reasons are XSS payloads ({@link XssPayloads}). Every view is loaded; no script may
 * run (no {@code window.__xss}, no dialog, no CSP violation, no event-handler attribute, no
 * non-http link) and every payload must be shown as the literal text it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileDataPageTest {
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    static Path dir;

    private final List<String> payloads = XssPayloads.ALL;
    private Dashboard server;
    private HeadlessChromium chromium;

    @BeforeAll
    void start() throws Exception {
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(40);
        chromium = HeadlessChromium.start();
        FixtureLake lake = FixtureLake.at(java.nio.file.Files.createDirectories(dir.resolve("lake")));
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            FixtureLake.Post post = lake.post("x:xss" + i, START.plusSeconds(60L * i), "Bitcoin " + payload);
            post.platform = "x";
            post.url = payload;
            post.authorId = "author" + i;
            post.authorName = payload;
            post.authorHandle = payload;
            post.authorFollowers = 10L;
            // Hashtags and entities as parsers and recognisers find them: without surrounding whitespace.
            post.hashtags = List.of(payload.strip());
            post.matchedRules = List.of(payload);
            post.langDetected = "en";
            post.sentiment = "neutral";
            post.pNegative = 0.1;
            post.pNeutral = 0.8;
            post.pPositive = 0.1;
            post.modelVersion = payload;
            // An emotion label no model of ours gives: the signals panel lists it after the four it knows.
            post.signals(payload, 0.6, 0.7, 0.2, 0.4);
            lake.entity(post.postId, "Bitcoin", "ORG", 0, 7, 0.9);
            String entity = payload.strip();
            int start = 8 + payload.indexOf(entity);
            lake.entity(post.postId, entity, "PER", start, start + entity.length(), 0.9);
            lake.deadLetter("file:" + payload, "1", payload, START.plusSeconds(i));
        }
        lake.commit();
        server = Dashboard.start(Dashboard.Options.local(lake.root()));
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    @Test
    void noPayloadRunsAndEachIsShownLiterally() throws Exception {
        // Overview: top entities and hashtags, latest posts.
        open("#view=overview");
        assertThat(texts("#top-entities tbody button")).isNotEmpty().allSatisfy(this::isAPayloadOrBitcoin);
        assertThat(texts("#top-hashtags tbody button")).isNotEmpty()
                .allSatisfy(tag -> isAPayload(tag.substring(1)));
        assertLatestPostsAreLiteral("#latest-posts");
        // The signals panel: every emotion label in the chart data's header and the chart's legend, literally.
        List<String> emotionHeaders = texts("#signals-table thead th.emotion");
        assertThat(emotionHeaders.subList(0, 4)).containsExactly("anger", "joy", "optimism", "sadness");
        assertThat(emotionHeaders.subList(4, emotionHeaders.size())).containsExactlyInAnyOrderElementsOf(new HashSet<>(payloads));
        List<String> legend = texts("#signals-emotion-chart .u-legend .u-series .u-label");
        assertThat(legend.subList(1, legend.size())).isEqualTo(emotionHeaders);
        inspect("overview");

        // The feed, every page: each post's text, author, hashtags exactly as stored.
        Set<String> seen = new HashSet<>();
        for (int offset = 0; offset < payloads.size(); offset += 50) {
            open("#view=feed&offset=" + offset);
            for (WebElement post : chromium.driver.findElements(By.cssSelector("#feed-posts li.post"))) {
                String id = post.getAttribute("data-post-id");
                String payload = payloads.get(Integer.parseInt(id.substring("x:xss".length())));
                assertLiteral(textContent(post.findElement(By.cssSelector("p.text"))), "Bitcoin " + payload, id);
                assertLiteral(textContent(post.findElement(By.cssSelector("mark.PER"))), payload.strip(), id);
                assertLiteral(textContent(post.findElement(By.cssSelector(".author"))), payload + " @" + payload, id);
                assertLiteral(textContent(post.findElement(By.cssSelector(".tags button"))), "#" + payload.strip(), id);
                // Its emotion badge: the label as text, a class of ours (not the label), the probability on hover;
                // the one flag the fixture sets true (offensive 0.7) next to it.
                WebElement emotion = post.findElement(By.cssSelector(".badge[data-signal='emotion']"));
                assertLiteral(textContent(emotion), payload, id + " emotion badge");
                assertThat(emotion.getAttribute("class")).as(id).isEqualTo("badge emotion other");
                assertLiteral(emotion.getAttribute("title"), "emotion: " + payload + " (0.60)", id + " emotion title");
                assertThat(post.findElements(By.cssSelector(".badge.flag")).stream().map(HostileDataPageTest::textContent).toList())
                        .as(id).containsExactly("offensive");
                // The payload URLs are none of them http(s): no link to the original.
                assertThat(post.findElements(By.cssSelector(".meta a"))).isEmpty();
                seen.add(id);
            }
            inspect("feed offset " + offset);
        }
        assertThat(seen).hasSize(payloads.size());

        // The entity page of every payload, with the payload as a hashtag filter too (both chips).
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            String entity = payload.strip();
            open("#view=entity&entity=" + URLEncoder.encode(entity, StandardCharsets.UTF_8) + "&entity_type=PER&hashtag="
                    + URLEncoder.encode(entity, StandardCharsets.UTF_8));
            String where = "entity page of payload " + i;
            assertLiteral(chromium.driver.findElement(By.cssSelector("#entity-form input[name='entity']")).getDomProperty("value"), entity, where);
            assertLiteral(textContent(chromium.driver.findElement(By.cssSelector(".chip[data-filter='entity'] b"))), entity, where);
            assertLiteral(textContent(chromium.driver.findElement(By.cssSelector(".chip[data-filter='hashtag'] b"))), entity, where);
            if (entity.length() > 2000) {
                // Beyond what an address may carry: the server refuses it, the page says so as text.
                WebElement error = chromium.driver.findElement(By.id("error"));
                assertThat(error.isDisplayed()).as(where).isTrue();
                assertThat(error.getText()).as(where).isNotBlank();
                inspect(where, false);
                continue;
            }
            assertLiteral(textContent(chromium.driver.findElement(By.id("entity-title"))), entity + " (PER)", where);
            assertThat(chromium.driver.findElement(By.id("entity-posts")).getAttribute("data-value")).as(where).isEqualTo("1");
            assertLatestPostsAreLiteral("#entity-samples");
            inspect(where, true);
        }

        // A hostile emotion or signal filter in the address: refused by the server, its message shown as text.
        for (int i = 0; i < 10; i++) {
            for (String filter : List.of("emotion", "signal")) {
                String where = filter + " filter of payload " + i;
                open("#view=feed&" + filter + "=" + URLEncoder.encode(payloads.get(i), StandardCharsets.UTF_8));
                WebElement error = chromium.driver.findElement(By.id("error"));
                assertThat(error.isDisplayed()).as(where).isTrue();
                assertThat(error.getText()).as(where).contains(filter + " must be");
                inspect(where, false);
            }
        }

        // Health: dead-letter reasons and model versions.
        open("#view=health");
        // The server groups reasons with their digits as N (offsets would split one cause).
        assertThat(texts("#health-reasons tbody td:first-child")).isNotEmpty().allSatisfy(reason -> assertThat(
                payloads.stream().anyMatch(p -> p.replaceAll("[0-9]+", "N").equals(reason))).as(abbreviated(reason)).isTrue());
        assertThat(texts("#health-latest tbody td:nth-child(2)")).isNotEmpty().allSatisfy(this::isAPayload);
        assertThat(texts("#health-models tbody td:first-child")).isNotEmpty().allSatisfy(this::isAPayload);
        inspect("health");

        // The SQL console: every payload in the results table, literally.
        String query = "SELECT text, author_name, url, hashtags FROM posts ORDER BY created_at";
        open("#view=sql&sql=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        // A query in the address only fills the box; it runs on Run.
        assertThat(chromium.driver.findElements(By.cssSelector("#sql-results tbody tr"))).isEmpty();
        chromium.driver.findElement(By.id("sql-run")).click();
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#sql-results tbody tr")).size() == payloads.size());
        List<WebElement> rows = chromium.driver.findElements(By.cssSelector("#sql-results tbody tr"));
        assertThat(rows).hasSize(payloads.size());
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertLiteral(textContent(cells.get(0)), "Bitcoin " + payloads.get(i), "SQL row " + i);
            assertLiteral(textContent(cells.get(1)), payloads.get(i), "SQL row " + i);
            assertLiteral(textContent(cells.get(2)), payloads.get(i), "SQL row " + i);
        }
        inspect("sql");
        chromium.screenshot("hostile-sql");
    }

    private void assertLatestPostsAreLiteral(String list) {
        List<WebElement> posts = chromium.driver.findElements(By.cssSelector(list + " li.post"));
        assertThat(posts).isNotEmpty();
        for (WebElement post : posts) {
            String id = post.getAttribute("data-post-id");
            String payload = payloads.get(Integer.parseInt(id.substring("x:xss".length())));
            assertLiteral(textContent(post.findElement(By.cssSelector("p.text"))), "Bitcoin " + payload, id);
        }
    }

    /** Nothing ran, nothing was injected, every link is http(s) or the page's own. */
    private void inspect(String where) throws Exception {
        inspect(where, true);
    }

    private void inspect(String where, boolean noErrorBox) throws Exception {
        assertThat(chromium.injectionEvidence()).as("script ran or markup was injected on " + where).isEmpty();
        try {
            String text = chromium.driver.switchTo().alert().getText();
            throw new AssertionError("a dialog opened on " + where + ": " + text);
        } catch (NoAlertPresentException expected) {
            // no dialog: good
        }
        @SuppressWarnings("unchecked")
        List<Object> injected = (List<Object>) chromium.driver.executeScript("""
                var found = [];
                document.querySelectorAll('*').forEach(function (e) {
                  for (var i = 0; i < e.attributes.length; i++) {
                    if (/^on/i.test(e.attributes[i].name)) found.push(e.tagName + ' ' + e.attributes[i].name);
                  }
                });
                document.querySelectorAll('iframe, img, object, embed, video, audio, math, style, base, form[action]')
                  .forEach(function (e) { found.push(e.tagName); });
                if (document.querySelectorAll('script').length !== 2) found.push('scripts: ' + document.querySelectorAll('script').length);
                document.querySelectorAll('a[href]').forEach(function (a) {
                  if (!/^https?:/.test(a.href)) found.push('link ' + a.href);
                });
                return found;
                """);
        assertThat(injected).as("injected elements, handlers or links on " + where).isEmpty();
        if (noErrorBox) {
            assertThat(chromium.driver.findElement(By.id("error")).isDisplayed()).as("error box on " + where).isFalse();
        }
    }

    /** Equal strings, reported abbreviated (one payload is 10,000 characters long). */
    private static void assertLiteral(String shown, String expected, String where) {
        if (!expected.equals(shown)) {
            throw new AssertionError(where + ": expected the literal text\n  " + abbreviated(expected) + "\nbut the page shows\n  "
                    + (shown == null ? "null" : abbreviated(shown)));
        }
    }

    private void open(String hash) {
        // A fresh document each time: a hash-only change would keep the last render's marker.
        chromium.driver.get("about:blank");
        chromium.driver.get(server.url().resolve("/" + hash).toString());
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
    }

    private List<String> texts(String css) {
        List<String> texts = new ArrayList<>();
        for (WebElement e : chromium.driver.findElements(By.cssSelector(css))) {
            texts.add(textContent(e));
        }
        return texts;
    }

    private static String textContent(WebElement e) {
        return e.getDomProperty("textContent");
    }

    // Hashtags and entities are grouped case-insensitively, so the server may show either case.
    private void isAPayload(String shown) {
        assertThat(payloads.stream().anyMatch(p -> p.equalsIgnoreCase(shown) || p.strip().equalsIgnoreCase(shown))).as("shown literally: %s", abbreviated(shown)).isTrue();
    }

    private void isAPayloadOrBitcoin(String shown) {
        if (!shown.equals("Bitcoin")) {
            isAPayload(shown);
        }
    }

    private static String abbreviated(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
