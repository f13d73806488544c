package io.tidings.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.athena.QueryResult;
import io.tidings.dashboard.Dashboard;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless chromium, served by the real server over a fixture lake: what it
 * shows is compared with SQL over the same lake (DuckDB through {@link LocalLake}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPageTest {
    @TempDir
    static Path dir;

    private FixtureLake fixture;
    private Dashboard server;
    private HeadlessChromium chromium;
    private LocalLake sql;

    @BeforeAll
    void start() throws Exception {
        chromium = HeadlessChromium.start();
        fixture = KnownLake.write(dir.resolve("lake"));
        server = Dashboard.start(Dashboard.Options.local(fixture.root()));
        sql = LocalLake.open(fixture.root());
    }

    @AfterAll
    void stop() throws Exception {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
        if (sql != null) sql.close();
    }

    @Test
    @Order(1)
    void overviewShowsWhatTheLakeHolds() throws Exception {
        open("#view=overview");
        assertThat(kpi("kpi-posts")).isEqualTo(number("SELECT count(*) FROM posts"));
        assertThat(kpi("kpi-authors")).isEqualTo(number("SELECT count(DISTINCT author_id) FROM posts"));
        assertThat(kpi("kpi-reach")).isEqualTo(number(
                "SELECT sum(f) FROM (SELECT author_id, max(author_followers) AS f FROM posts GROUP BY author_id)"));
        double net = decimal("SELECT (count(*) FILTER (sentiment = 'positive') - count(*) FILTER (sentiment = 'negative'))"
                + " / count(sentiment) FROM posts");
        assertThat(Double.parseDouble(attribute("kpi-net"))).isCloseTo(net, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text("kpi-net")).isEqualTo((net > 0 ? "+" : "") + String.format(java.util.Locale.ROOT, "%.2f", net));

        // The chart's data table, bucket by bucket, against the same grouping in SQL.
        String bucket = text("volume-bucket").replaceAll(".* × ", "");
        Map<String, List<Long>> expected = new HashMap<>();
        for (List<Object> row : sql.query("SELECT strftime(date_trunc('" + bucket + "', created_at), '%Y-%m-%dT%H:%M:%SZ'),"
                + " count(*), count(*) FILTER (sentiment = 'negative'), count(*) FILTER (sentiment = 'neutral'),"
                + " count(*) FILTER (sentiment = 'positive'), count(*) FILTER (sentiment IS NULL) FROM posts GROUP BY 1", 10_000).rows()) {
            expected.put((String) row.get(0), row.subList(1, 6).stream().map(v -> ((Number) v).longValue()).toList());
        }
        Map<String, List<Long>> shown = new HashMap<>();
        for (WebElement tr : chromium.driver.findElements(By.cssSelector("#volume-table tbody tr"))) {
            List<Long> counts = tr.findElements(By.cssSelector("td.num")).stream()
                    .map(td -> Long.parseLong(td.getAttribute("textContent").replace(",", ""))).toList();
            if (counts.get(0) > 0) {
                shown.put(Instant.parse(tr.getAttribute("data-t")).toString(), counts);
            }
        }
        assertThat(shown).isEqualTo(expected);
        assertThat(chromium.driver.findElements(By.cssSelector("#volume-chart canvas"))).isNotEmpty();

        // Top entities and hashtags: every row's count as SQL has it, the first being the largest.
        List<WebElement> entityRows = chromium.driver.findElements(By.cssSelector("#top-entities tbody tr"));
        assertThat(entityRows).isNotEmpty();
        for (WebElement row : entityRows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            String entity = cells.get(0).findElement(By.tagName("button")).getText();
            assertThat(count(cells.get(2))).as(entity).isEqualTo(number(
                    "SELECT count(DISTINCT post_id) FROM entities WHERE lower(text) = lower('" + entity + "') AND type = '" + cells.get(1).getText() + "'"));
        }
        assertThat(entityRows.get(0).getText()).startsWith("Bitcoin");
        List<WebElement> tagRows = chromium.driver.findElements(By.cssSelector("#top-hashtags tbody tr"));
        assertThat(tagRows).hasSize(KnownLake.TAGS.length);
        for (WebElement row : tagRows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            String tag = cells.get(0).getText().substring(1);
            assertThat(count(cells.get(1))).as(tag).isEqualTo(number(
                    "SELECT count(*) FROM posts WHERE list_contains(list_transform(hashtags, h -> lower(h)), '" + tag + "')"));
        }

        // Latest posts: newest first, entities highlighted, links to the originals.
        List<WebElement> latest = chromium.driver.findElements(By.cssSelector("#latest-posts li.post"));
        assertThat(latest).isNotEmpty();
        assertThat(latest.get(0).getAttribute("data-post-id"))
                .isEqualTo(sql.query("SELECT post_id FROM posts ORDER BY created_at DESC LIMIT 1", 1).rows().get(0).get(0));
        WebElement first = latest.get(0);
        assertThat(first.findElement(By.cssSelector(".badge")).getText()).isIn("positive", "neutral", "negative", "unscored");
        assertThat(first.findElement(By.cssSelector("a[rel='noopener noreferrer']")).getAttribute("href")).startsWith("https://");
        assertThat(chromium.driver.findElements(By.cssSelector("#latest-posts mark.ORG")).get(0).getText()).isEqualTo("Bitcoin");
        chromium.screenshot("overview");
    }

    @Test
    @Order(2)
    void clickingAnEntityFiltersEverythingAndBackUndoesIt() throws Exception {
        open("#view=overview");
        long all = kpi("kpi-posts");
        String before = rendered();
        chromium.driver.findElement(By.xpath("//table[@id='top-entities']//button[text()='Satoshi Nakamoto']")).click();
        awaitRenderAfter(before);
        assertThat(hash()).contains("entity=Satoshi+Nakamoto").contains("entity_type=PER").contains("view=overview");
        long satoshi = number("SELECT count(DISTINCT post_id) FROM entities WHERE text = 'Satoshi Nakamoto' AND type = 'PER'");
        assertThat(kpi("kpi-posts")).isEqualTo(satoshi).isLessThan(all);
        assertThat(chromium.driver.findElement(By.cssSelector(".chip[data-filter='entity']")).getText()).contains("Satoshi Nakamoto");
        for (WebElement post : chromium.driver.findElements(By.cssSelector("#latest-posts li.post .text"))) {
            assertThat(post.getText()).contains("Satoshi Nakamoto");
        }

        // A hashtag on top of it: both filters in the URL, the count as SQL has it.
        before = rendered();
        chromium.driver.findElement(By.xpath("//table[@id='top-hashtags']//button[text()='#btc']")).click();
        awaitRenderAfter(before);
        assertThat(hash()).contains("hashtag=btc").contains("entity=Satoshi+Nakamoto");
        assertThat(kpi("kpi-posts")).isEqualTo(number("SELECT count(DISTINCT p.post_id) FROM posts p JOIN entities e USING (post_id)"
                + " WHERE e.text = 'Satoshi Nakamoto' AND list_contains(p.hashtags, 'btc')")).isPositive().isLessThan(satoshi);

        // Back twice: the unfiltered overview again, without a reload.
        chromium.driver.executeScript("window.__sameDocument = true;");
        before = rendered();
        chromium.driver.navigate().back();
        awaitRenderAfter(before);
        assertThat(kpi("kpi-posts")).isEqualTo(satoshi);
        before = rendered();
        chromium.driver.navigate().back();
        awaitRenderAfter(before);
        assertThat(hash()).doesNotContain("entity=");
        assertThat(kpi("kpi-posts")).isEqualTo(all);
        assertThat(chromium.driver.executeScript("return window.__sameDocument === true")).isEqualTo(true);

        // The state is the URL: opening it afresh shows the same filtered numbers.
        open("#view=overview&entity=Satoshi%20Nakamoto&entity_type=PER");
        assertThat(kpi("kpi-posts")).isEqualTo(satoshi);
        chromium.screenshot("overview-filtered");
    }

    @Test
    @Order(3)
    void zoomingTheChartSetsTheTimeRange() throws Exception {
        open("#view=overview");
        WebElement over = chromium.driver.findElement(By.cssSelector("#volume-chart .u-over"));
        int width = over.getSize().getWidth();
        String before = rendered();
        new org.openqa.selenium.interactions.Actions(chromium.driver)
                .moveToElement(over, -width / 4, 0).clickAndHold()
                .moveByOffset(width / 2, 0).release().perform();
        awaitRenderAfter(before);
        Map<String, String> state = hashState();
        assertThat(state).containsKeys("from", "to");
        Instant from = Instant.parse(state.get("from"));
        Instant to = Instant.parse(state.get("to"));
        assertThat(from).isBefore(to);
        assertThat(kpi("kpi-posts")).isEqualTo(number("SELECT count(*) FROM posts WHERE created_at >= TIMESTAMP '"
                + sqlTime(from) + "' AND created_at < TIMESTAMP '" + sqlTime(to) + "'")).isPositive();
        assertThat(chromium.driver.findElement(By.id("reset-zoom")).isDisplayed()).isTrue();
        chromium.screenshot("overview-zoomed");
    }

    @Test
    @Order(4)
    void theFeedPagesAndSortsAsSqlDoes() throws Exception {
        open("#view=feed&lang=en");
        assertThat(kpi("feed-total")).isEqualTo(number("SELECT count(*) FROM posts WHERE lang_detected = 'en'"));
        assertThat(feedIds()).isEqualTo(ids("SELECT post_id FROM posts WHERE lang_detected = 'en'"
                + " ORDER BY created_at DESC, post_id LIMIT 50"));
        String before = rendered();
        chromium.driver.findElement(By.id("feed-next")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("offset", "50").containsEntry("lang", "en");
        assertThat(feedIds()).isEqualTo(ids("SELECT post_id FROM posts WHERE lang_detected = 'en'"
                + " ORDER BY created_at DESC, post_id LIMIT 50 OFFSET 50"));
        assertThat(chromium.driver.findElement(By.id("feed-next")).isEnabled()).isFalse();

        before = rendered();
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.id("feed-sort"))).selectByValue("engagement");
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("sort", "engagement").doesNotContainKey("offset");
        List<String> top = ids("SELECT post_id FROM posts WHERE lang_detected = 'en' ORDER BY coalesce(like_count, 0)"
                + " + coalesce(repost_count, 0) + coalesce(reply_count, 0) + coalesce(quote_count, 0) DESC, created_at DESC, post_id LIMIT 50");
        assertThat(feedIds()).isEqualTo(top);
        chromium.screenshot("feed");
    }

    @Test
    @Order(5)
    void theEntityPageShowsItsNumbersAndPosts() throws Exception {
        open("#view=overview");
        String before = rendered();
        chromium.driver.findElement(By.xpath("//table[@id='top-entities']//tr[td/button[text()='London']]//a[@class='open']")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("view", "entity").containsEntry("entity", "London").containsEntry("entity_type", "LOC");
        assertThat(text("entity-title")).isEqualTo("London (LOC)");
        assertThat(kpi("entity-mentions")).isEqualTo(number("SELECT count(*) FROM entities WHERE text = 'London' AND type = 'LOC'"));
        assertThat(kpi("entity-posts")).isEqualTo(number("SELECT count(DISTINCT post_id) FROM entities WHERE text = 'London' AND type = 'LOC'"));
        List<WebElement> samples = chromium.driver.findElements(By.cssSelector("#entity-samples li.post"));
        assertThat(samples).isNotEmpty();
        for (WebElement sample : samples) {
            assertThat(sample.findElement(By.cssSelector("mark.LOC")).getText()).isEqualTo("London");
        }
        assertThat(chromium.driver.findElements(By.cssSelector("#entity-cooccurring tbody tr"))).isNotEmpty();
        chromium.screenshot("entity");
    }

    @Test
    @Order(6)
    void theHealthPageShowsSourcesAndFiles() throws Exception {
        open("#view=health");
        List<WebElement> sources = chromium.driver.findElements(By.cssSelector("#health-sources tbody tr"));
        Map<String, Long> shown = new HashMap<>();
        for (WebElement row : sources) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            shown.put(cells.get(0).getText(), count(cells.get(1)));
        }
        Map<String, Long> expected = new HashMap<>();
        for (List<Object> row : sql.query("SELECT platform, count(*) FROM posts GROUP BY platform", 100).rows()) {
            expected.put((String) row.get(0), ((Number) row.get(1)).longValue());
        }
        assertThat(shown).isEqualTo(expected);
        assertThat(kpi("health-files")).isPositive();
        assertThat(text("health-lake")).isEqualTo(fixture.root().toString());
        chromium.screenshot("health");
    }

    @Test
    @Order(7)
    void theSqlConsoleShowsResultsAndRefusals() throws Exception {
        open("#view=sql");
        String query = "SELECT platform, count(*) AS posts FROM posts GROUP BY platform ORDER BY platform";
        WebElement textarea = chromium.driver.findElement(By.id("sql-text"));
        textarea.clear();
        textarea.sendKeys(query);
        String before = rendered();
        textarea.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        awaitRenderAfter(before);
        assertThat(chromium.driver.findElements(By.cssSelector("#sql-results thead th")).stream().map(WebElement::getText).toList())
                .containsExactly("platform", "posts");
        List<List<String>> rows = tableRows("sql-results");
        List<List<String>> expected = new ArrayList<>();
        for (List<Object> row : sql.query(query, 100).rows()) {
            expected.add(row.stream().map(String::valueOf).toList());
        }
        assertThat(rows).isEqualTo(expected);
        assertThat(hashState()).containsEntry("sql", query);
        assertThat(chromium.driver.findElement(By.id("sql-error")).isDisplayed()).isFalse();

        // The download link gives the whole result as CSV.
        String csvHref = chromium.driver.findElement(By.id("sql-csv")).getAttribute("href");
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(csvHref)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines().count()).isEqualTo(expected.size() + 1L);
        // And as Parquet: a file DuckDB reads back to the same rows.
        String parquetHref = chromium.driver.findElement(By.id("sql-parquet")).getAttribute("href");
        Path parquet = dir.resolve("download.parquet");
        HttpResponse<Path> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(parquetHref)).build(),
                HttpResponse.BodyHandlers.ofFile(parquet));
        assertThat(file.statusCode()).isEqualTo(200);
        List<List<String>> readBack = new ArrayList<>();
        for (List<Object> row : sql.query("SELECT * FROM read_parquet('" + parquet + "') ORDER BY platform", 100).rows()) {
            readBack.add(row.stream().map(String::valueOf).toList());
        }
        assertThat(readBack).isEqualTo(expected);
        chromium.screenshot("sql");

        // A statement that writes is refused, with the server's message on the page.
        String refused = "DROP TABLE posts_all";
        textarea = chromium.driver.findElement(By.id("sql-text"));
        textarea.clear();
        textarea.sendKeys(refused);
        before = rendered();
        chromium.driver.findElement(By.id("sql-run")).click();
        awaitRenderAfter(before);
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve("/api/sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"" + refused + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(400);
        String message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(direct.body()).get("error").asText();
        WebElement error = chromium.driver.findElement(By.id("sql-error"));
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getText()).isEqualTo(message).isNotBlank();
        assertThat(chromium.driver.findElements(By.cssSelector("#sql-results tr"))).isEmpty();
        assertThat(number("SELECT count(*) FROM posts_all")).isPositive();
        chromium.screenshot("sql-refused");
    }

    @Test
    @Order(8)
    void newFilesShowUpWithoutAReload() throws Exception {
        open("#view=overview");
        long before = kpi("kpi-posts");
        chromium.driver.executeScript("window.__sameDocument = true;");
        Instant late = KnownLake.START.plus(Duration.ofDays(2));
        for (int i = 0; i < 5; i++) {
            KnownLake.add(fixture, 1000 + i, late.plusSeconds(i));
        }
        fixture.commit();
        long after = number("SELECT count(*) FROM posts");
        assertThat(after).isEqualTo(before + 5);
        Object newest = sql.query("SELECT post_id FROM posts ORDER BY created_at DESC LIMIT 1", 1).rows().get(0).get(0);
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30)).until(d -> String.valueOf(after).equals(attribute("kpi-posts"))
                && newest.equals(d.findElements(By.cssSelector("#latest-posts li.post")).get(0).getAttribute("data-post-id")));
        assertThat(chromium.driver.executeScript("return window.__sameDocument === true")).isEqualTo(true);
    }

    @Test
    @Order(9)
    void everyViewFitsAPhoneWithoutSideScrolling() throws Exception {
        chromium.resize(390, 844);
        try {
            for (String view : List.of("overview", "feed", "entity&entity=Bitcoin&entity_type=ORG", "health",
                    "sql&sql=SELECT%20*%20FROM%20posts%20LIMIT%205")) {
                open("#view=" + view);
                long viewport = ((Number) chromium.driver.executeScript("return document.documentElement.clientWidth")).longValue();
                long content = ((Number) chromium.driver.executeScript(
                        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")).longValue();
                assertThat(viewport).as(view).isLessThanOrEqualTo(390);
                assertThat(content).as("page width on a phone, view " + view).isLessThanOrEqualTo(viewport);
                chromium.screenshot("phone-" + view.replaceAll("[^a-z].*", ""));
            }
        } finally {
            chromium.resize(1280, 1000);
        }
    }

    @Test
    @Order(10)
    void theTrendingPanelShowsWhatRisesAsTheLakeViewSays() throws Exception {
        open("#view=overview");
        assertThat(chromium.driver.findElements(By.cssSelector("#trending tbody tr"))).isEmpty();
        assertThat(chromium.driver.findElement(By.cssSelector("#trending caption")).getText()).contains("Nothing is rising");
        // A burst in the lake's last hour: #hodl and London (both seen before, at about one post an
        // hour) in 12 posts, with a word the lake never had.
        String before = rendered();
        Instant newest = Instant.parse(sql.query("SELECT strftime(max(created_at), '%Y-%m-%dT%H:%M:%SZ') FROM posts", 1)
                .rows().get(0).get(0).toString());
        for (int i = 0; i < 12; i++) {
            FixtureLake.Post p = fixture.post("x:burst" + i, newest.plusSeconds(60L + i * 120L), "London calling #hodl");
            p.hashtags = List.of("hodl");
            p.matchedRules = List.of("btc");
            fixture.entity(p, "London", "LOC");
        }
        fixture.commit();
        awaitRenderAfter(before);
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                .until(d -> !d.findElements(By.cssSelector("#trending tbody tr")).isEmpty());
        List<String> expected = new ArrayList<>();
        for (List<Object> row : sql.query("SELECT kind, key FROM trending WHERE trending ORDER BY score DESC, kind, key", 100).rows()) {
            expected.add(row.get(0) + ":" + row.get(1));
        }
        assertThat(expected).containsExactlyInAnyOrder("hashtag:hodl", "entity:london", "term:calling");
        List<String> shown = chromium.driver.findElements(By.cssSelector("#trending tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-kind") + ":" + tr.getAttribute("data-key")).toList();
        assertThat(shown).isEqualTo(expected);
        WebElement calling = chromium.driver.findElement(By.cssSelector("#trending tr[data-key='calling']"));
        assertThat(calling.findElement(By.cssSelector(".badge.new")).getText()).isEqualTo("new");
        assertThat(count(calling.findElements(By.tagName("td")).get(2))).isEqualTo(12);
        chromium.screenshot("overview-trending");

        // The Hashtags tab lists hashtags only; a click on one filters everything on it.
        before = rendered();
        chromium.driver.findElement(By.cssSelector("#trending-tabs button[data-kind='hashtag']")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("trending", "hashtag");
        List<WebElement> rows = chromium.driver.findElements(By.cssSelector("#trending tbody tr"));
        assertThat(rows).extracting(tr -> tr.getAttribute("data-key")).containsExactly("hodl");
        before = rendered();
        rows.get(0).findElement(By.tagName("button")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("hashtag", "hodl");
        assertThat(kpi("kpi-posts")).isEqualTo(number("SELECT count(*) FROM posts WHERE list_contains(hashtags, 'hodl')"));

        // A longer window: asked for, in the URL, and said in the panel's note.
        before = rendered();
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.id("trending-window"))).selectByValue("1d");
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("trending_window", "1d");
        assertThat(text("trending-note")).startsWith("Posts in the 1d window up to");
    }

    @Test
    @Order(11)
    void theSignalsPanelShowsEmotionsAndSharesAsSqlDoes() throws Exception {
        open("#view=overview");
        WebElement panel = chromium.driver.findElement(By.id("signals-panel"));
        assertThat(chromium.driver.findElement(By.id("signals-body")).isDisplayed()).isTrue();
        assertThat(chromium.driver.findElement(By.id("signals-empty")).isDisplayed()).isFalse();
        // Shares among the posts whose signal is known; the posts without signals apart.
        for (String flag : List.of("offensive", "hate", "irony")) {
            long yes = number("SELECT count_if(" + flag + ") FROM posts");
            long known = number("SELECT count(" + flag + ") FROM posts");
            assertThat(yes).as(flag).isPositive().isLessThan(known);
            assertThat(Double.parseDouble(attribute("signals-" + flag))).as(flag)
                    .isCloseTo((double) yes / known, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(text("signals-" + flag)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * yes / known));
            assertThat(text("signals-" + flag + "-of")).isEqualTo(yes + " of " + known + " posts");
        }
        long scored = number("SELECT count(*) FROM posts WHERE emotion IS NOT NULL OR offensive IS NOT NULL");
        long unscored = number("SELECT count(*) FROM posts WHERE emotion IS NULL AND offensive IS NULL AND hate IS NULL AND irony IS NULL");
        assertThat(unscored).isPositive();
        assertThat(kpi("signals-scored")).isEqualTo(scored);
        assertThat(kpi("signals-unscored")).isEqualTo(unscored);

        // The legends name the series; the chart data table holds the counts per bucket, as SQL groups them.
        assertThat(legend("signals-emotion-chart")).containsExactly("anger", "joy", "optimism", "sadness");
        assertThat(legend("signals-share-chart")).containsExactly("offensive", "hate", "irony");
        assertThat(chromium.driver.findElements(By.cssSelector("#signals-emotion-chart canvas"))).isNotEmpty();
        String bucket = text("signals-bucket").replaceAll(".* × ", "");
        Map<String, List<Long>> expected = new HashMap<>();
        for (List<Object> row : sql.query("SELECT strftime(date_trunc('" + bucket + "', created_at), '%Y-%m-%dT%H:%M:%SZ'),"
                + " count(*), count(emotion), count(*) - count(emotion), count_if(emotion = 'anger'), count_if(emotion = 'joy'),"
                + " count_if(emotion = 'optimism'), count_if(emotion = 'sadness'), count_if(offensive), count_if(hate), count_if(irony)"
                + " FROM posts GROUP BY 1", 10_000).rows()) {
            expected.put((String) row.get(0), row.subList(1, 11).stream().map(v -> ((Number) v).longValue()).toList());
        }
        Map<String, List<Long>> shown = new HashMap<>();
        for (WebElement tr : chromium.driver.findElements(By.cssSelector("#signals-table tbody tr"))) {
            List<Long> counts = tr.findElements(By.cssSelector("td.num")).stream()
                    .map(td -> Long.parseLong(td.getAttribute("textContent").replace(",", ""))).toList();
            if (counts.get(0) > 0) {
                shown.put(Instant.parse(tr.getAttribute("data-t")).toString(), counts);
            }
        }
        assertThat(shown).isEqualTo(expected);
        chromium.driver.executeScript("arguments[0].scrollIntoView()", panel);
        chromium.screenshot("overview-signals");

        // Only posts without signals: the panel says so instead of drawing charts of nothing.
        open("#view=overview&sentiment=unscored");
        WebElement empty = chromium.driver.findElement(By.id("signals-empty"));
        assertThat(empty.isDisplayed()).isTrue();
        assertThat(empty.getText()).startsWith("No emotion, offensive, hate or irony signals in this range: none of its "
                + number("SELECT count(*) FROM posts WHERE sentiment IS NULL") + " posts");
        assertThat(chromium.driver.findElement(By.id("signals-body")).isDisplayed()).isFalse();
        assertThat(chromium.driver.findElements(By.cssSelector("#signals-emotion-chart canvas"))).isEmpty();
        chromium.driver.executeScript("arguments[0].scrollIntoView()", chromium.driver.findElement(By.id("signals-panel")));
        chromium.screenshot("overview-signals-empty");
    }

    @Test
    @Order(12)
    void theEmotionAndSignalFiltersNarrowThePostsWhichShowTheirSignals() throws Exception {
        open("#view=feed");
        long all = kpi("feed-total");
        assertThat(all).isEqualTo(number("SELECT count(*) FROM posts"));

        // Anger from the filter bar: in the URL, the feed's count and posts as SQL has them.
        String before = rendered();
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.cssSelector("#filters select[name='emotion']")))
                .selectByValue("anger");
        chromium.driver.findElement(By.cssSelector("#filters button[type='submit']")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("view", "feed").containsEntry("emotion", "anger").doesNotContainKey("signal");
        long angry = number("SELECT count(*) FROM posts WHERE emotion = 'anger'");
        assertThat(kpi("feed-total")).isEqualTo(angry).isPositive().isLessThan(all);
        assertThat(feedIds()).isEqualTo(ids("SELECT post_id FROM posts WHERE emotion = 'anger' ORDER BY created_at DESC, post_id LIMIT 50"));

        // Each post's badges: its emotion with the probability on hover, and each flag that is true.
        Map<String, List<Object>> signals = new HashMap<>();
        for (List<Object> row : sql.query("SELECT post_id, emotion_score, offensive, hate, irony FROM posts WHERE emotion = 'anger'",
                1000).rows()) {
            signals.put((String) row.get(0), row);
        }
        List<WebElement> posts = chromium.driver.findElements(By.cssSelector("#feed-posts li.post"));
        assertThat(posts).isNotEmpty();
        boolean someFlag = false;
        for (WebElement post : posts) {
            List<Object> row = signals.get(post.getAttribute("data-post-id"));
            WebElement emotion = post.findElement(By.cssSelector(".badge[data-signal='emotion']"));
            assertThat(emotion.getText()).isEqualTo("anger");
            assertThat(emotion.getAttribute("title"))
                    .isEqualTo(String.format(java.util.Locale.ROOT, "emotion: anger (%.2f)", ((Number) row.get(1)).doubleValue()));
            List<String> flags = post.findElements(By.cssSelector(".badge.flag")).stream().map(WebElement::getText).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (Boolean.TRUE.equals(row.get(2 + i))) {
                    expected.add(List.of("offensive", "hate", "irony").get(i));
                }
            }
            assertThat(flags).as(post.getAttribute("data-post-id")).isEqualTo(expected);
            someFlag |= !flags.isEmpty();
        }
        assertThat(someFlag).as("some angry post is flagged, so the flag badges are seen").isTrue();
        chromium.screenshot("posts-signals");

        // Offensive on top of it: both in the URL, fewer posts, every one offensive.
        before = rendered();
        new org.openqa.selenium.support.ui.Select(chromium.driver.findElement(By.cssSelector("#filters select[name='signal']")))
                .selectByValue("offensive");
        chromium.driver.findElement(By.cssSelector("#filters button[type='submit']")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).containsEntry("emotion", "anger").containsEntry("signal", "offensive");
        long angryOffensive = number("SELECT count(*) FROM posts WHERE emotion = 'anger' AND offensive");
        assertThat(kpi("feed-total")).isEqualTo(angryOffensive).isPositive().isLessThan(angry);
        assertThat(feedIds()).isEqualTo(ids("SELECT post_id FROM posts WHERE emotion = 'anger' AND offensive"
                + " ORDER BY created_at DESC, post_id LIMIT 50"));
        for (WebElement post : chromium.driver.findElements(By.cssSelector("#feed-posts li.post"))) {
            assertThat(post.findElements(By.cssSelector(".badge.flag.offensive"))).hasSize(1);
        }

        // The state is the URL: the overview opened with it counts the same posts, the bar shows the filters.
        open("#view=overview&emotion=anger&signal=offensive");
        assertThat(kpi("kpi-posts")).isEqualTo(angryOffensive);
        assertThat(chromium.driver.findElement(By.cssSelector("#filters select[name='emotion']")).getDomProperty("value")).isEqualTo("anger");
        assertThat(chromium.driver.findElement(By.cssSelector("#filters select[name='signal']")).getDomProperty("value")).isEqualTo("offensive");
        assertThat(chromium.driver.findElements(By.cssSelector("#latest-posts li.post .badge.emotion.anger"))).hasSize((int) Math.min(20, angryOffensive));

        // Clear: every filter gone, the full count again.
        before = rendered();
        chromium.driver.findElement(By.id("clear-filters")).click();
        awaitRenderAfter(before);
        assertThat(hashState()).doesNotContainKeys("emotion", "signal");
        assertThat(kpi("kpi-posts")).isEqualTo(all);
    }

    /** The series labels of a uPlot chart's legend, the x series left out. */
    private List<String> legend(String chartId) {
        List<String> labels = chromium.driver.findElements(By.cssSelector("#" + chartId + " .u-legend .u-series .u-label")).stream()
                .map(e -> e.getDomProperty("textContent")).toList();
        return labels.subList(1, labels.size());
    }

    // ---- helpers ----

    private void open(String hash) {
        // A fresh document each time: a hash-only change would keep the last render's marker.
        chromium.driver.get("about:blank");
        chromium.driver.get(server.url().resolve("/" + hash).toString());
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
        assertThat(chromium.driver.findElement(By.id("error")).isDisplayed()).as("page error box").isFalse();
    }

    private String rendered() {
        return chromium.driver.findElement(By.tagName("body")).getAttribute("data-rendered");
    }

    private void awaitRenderAfter(String previous) {
        new WebDriverWait(chromium.driver, Duration.ofSeconds(30)).until(d -> {
            String now = d.findElement(By.tagName("body")).getAttribute("data-rendered");
            return now != null && !now.equals(previous);
        });
        assertThat(chromium.driver.findElement(By.id("error")).isDisplayed()).as("page error box").isFalse();
    }

    private String hash() {
        return (String) chromium.driver.executeScript("return location.hash");
    }

    private Map<String, String> hashState() {
        @SuppressWarnings("unchecked")
        Map<String, String> state = (Map<String, String>) chromium.driver.executeScript(
                "return Object.fromEntries(new URLSearchParams(location.hash.slice(1)))");
        return state;
    }

    private String text(String id) {
        return chromium.driver.findElement(By.id(id)).getText();
    }

    private String attribute(String id) {
        return chromium.driver.findElement(By.id(id)).getAttribute("data-value");
    }

    private long kpi(String id) {
        return Long.parseLong(attribute(id));
    }

    private static long count(WebElement cell) {
        return Long.parseLong(cell.getText().replace(",", ""));
    }

    private List<List<String>> tableRows(String id) {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : chromium.driver.findElements(By.cssSelector("#" + id + " tbody tr"))) {
            rows.add(tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
        }
        return rows;
    }

    private List<String> feedIds() {
        return chromium.driver.findElements(By.cssSelector("#feed-posts li.post")).stream()
                .map(li -> li.getAttribute("data-post-id")).toList();
    }

    private List<String> ids(String query) throws Exception {
        return sql.query(query, 1000).rows().stream().map(row -> (String) row.get(0)).toList();
    }

    private long number(String query) throws Exception {
        QueryResult result = sql.query(query, 1);
        return ((Number) result.rows().get(0).get(0)).longValue();
    }

    private double decimal(String query) throws Exception {
        return ((Number) sql.query(query, 1).rows().get(0).get(0)).doubleValue();
    }

    private static String sqlTime(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString().replace('T', ' ');
    }
}
