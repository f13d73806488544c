package io.tidings.dashboard;

import static io.tidings.dashboard.Http.count;
import static io.tidings.dashboard.Http.enc;
import static io.tidings.dashboard.Http.get;
import static io.tidings.dashboard.Http.independent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every data endpoint of a real server over a fixture lake, checked against independent SQL over the same files. */
class DashboardApiTest {
    static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    @TempDir
    static Path lake;
    static Dashboard dashboard;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        FixtureLake.writeSample(lake, END);
        dashboard = Dashboard.start(Dashboard.Options.local(lake));
        base = dashboard.url();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void overviewMatchesIndependentSql() throws Exception {
        JsonNode o = get(base, "/api/overview").json();
        List<Object> expected = independent(lake, "SELECT count(*), count(DISTINCT author_id), count(sentiment),"
                + " count_if(sentiment = 'negative'), count_if(sentiment = 'neutral'), count_if(sentiment = 'positive'),"
                + " (SELECT sum(f) FROM (SELECT max(author_followers) f FROM p GROUP BY author_id)) FROM p").get(0);
        assertThat(o.get("posts").asLong()).isEqualTo(11).isEqualTo(((Number) expected.get(0)).longValue());
        assertThat(o.get("authors").asLong()).isEqualTo(((Number) expected.get(1)).longValue());
        assertThat(o.get("scored").asLong()).isEqualTo(((Number) expected.get(2)).longValue());
        assertThat(o.get("negative").asLong()).isEqualTo(((Number) expected.get(3)).longValue());
        assertThat(o.get("neutral").asLong()).isEqualTo(((Number) expected.get(4)).longValue());
        assertThat(o.get("positive").asLong()).isEqualTo(((Number) expected.get(5)).longValue());
        assertThat(o.get("reach").asLong()).isEqualTo(((Number) expected.get(6)).longValue());
        double net = (o.get("positive").asDouble() - o.get("negative").asDouble()) / o.get("scored").asDouble();
        assertThat(o.get("net_sentiment").asDouble()).isEqualTo(net);
        assertThat(o.get("first").asText()).isEqualTo(END.minusSeconds(120 * 60).toString());
        assertThat(o.get("last").asText()).isEqualTo(END.minusSeconds(20 * 60).toString()); // x:8 (15 min) is deleted
        assertThat(o.get("lake_version").asText()).isNotBlank();
    }

    @Test
    void everyFilterNarrowsToWhatSqlSays() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("platform=bluesky", "platform = 'bluesky'");
        cases.put("platform=x,bluesky", "platform IN ('x', 'bluesky')");
        cases.put("rule=btc", "list_contains(matched_rules, 'btc')");
        cases.put("lang=de", "lang_detected = 'de'");
        cases.put("sentiment=negative", "sentiment = 'negative'");
        cases.put("sentiment=negative,positive", "sentiment IN ('negative', 'positive')");
        cases.put("sentiment=unscored", "sentiment IS NULL");
        cases.put("entity=BITCOIN", "post_id IN (SELECT post_id FROM e WHERE lower(text) = 'bitcoin')");
        cases.put("entity=satoshi&entity_type=PER", "post_id IN (SELECT post_id FROM e WHERE text = 'Satoshi' AND type = 'PER')");
        cases.put("entity=satoshi&entity_type=ORG", "FALSE");
        cases.put("hashtag=btc", "list_contains(hashtags, 'BTC')");
        cases.put("hashtag=%23ETH", "list_contains(hashtags, 'eth')");
        cases.put("q=ETHEREUM", "text ILIKE '%ethereum%'");
        cases.put("from=" + END.minusSeconds(3600) + "&to=" + END.minusSeconds(20 * 60),
                "created_at >= TIMESTAMP '2026-11-26 11:00:00' AND created_at < TIMESTAMP '2026-11-26 11:40:00'");
        cases.put("from=2026-11-26&platform=x&sentiment=positive", "platform = 'x' AND sentiment = 'positive'");
        cases.put("to=2026-11-26", "FALSE");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            long expected = count(lake, "SELECT count(*) FROM p WHERE " + c.getValue());
            JsonNode o = get(base, "/api/overview?" + c.getKey()).json();
            assertThat(o.get("posts").asLong()).as(c.getKey()).isEqualTo(expected);
            JsonNode posts = get(base, "/api/posts?limit=500&" + c.getKey()).json();
            assertThat(posts.get("total").asLong()).as(c.getKey()).isEqualTo(expected);
            assertThat(posts.get("posts").size()).as(c.getKey()).isEqualTo((int) expected);
            long inSeries = 0;
            for (JsonNode point : get(base, "/api/timeseries?bucket=hour&" + c.getKey()).json().get("points")) {
                inSeries += point.get("posts").asLong();
            }
            assertThat(inSeries).as(c.getKey()).isEqualTo(expected);
        }
        assertThat(count(lake, "SELECT count(*) FROM p WHERE platform = 'bluesky'")).isEqualTo(4);
    }

    @Test
    void timeseriesBucketsMatchSqlAndFillGaps() throws Exception {
        JsonNode ts = get(base, "/api/timeseries?bucket=minute").json();
        assertThat(ts.get("bucket").asText()).isEqualTo("minute");
        // 11:00 - 11:40 every minute: gaps are zeros, so a chart's x axis is time.
        assertThat(ts.get("points").size()).isEqualTo(101);
        JsonNode hourly = get(base, "/api/timeseries?bucket=hour").json();
        List<List<Object>> expected = independent(lake, "SELECT date_trunc('hour', created_at), count(*),"
                + " count_if(sentiment = 'negative'), count_if(sentiment IS NULL),"
                + " (count_if(sentiment = 'positive') - count_if(sentiment = 'negative')) / count(sentiment)"
                + " FROM p GROUP BY 1 ORDER BY 1");
        assertThat(hourly.get("points").size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode point = hourly.get("points").get(i);
            assertThat(point.get("posts").asLong()).isEqualTo(((Number) expected.get(i).get(1)).longValue());
            assertThat(point.get("negative").asLong()).isEqualTo(((Number) expected.get(i).get(2)).longValue());
            assertThat(point.get("unscored").asLong()).isEqualTo(((Number) expected.get(i).get(3)).longValue());
            // Net sentiment over the bucket's scored posts; null only where none is scored.
            Object net = expected.get(i).get(4);
            if (net == null) {
                assertThat(point.get("net_sentiment").isNull()).isTrue();
            } else {
                assertThat(point.get("net_sentiment").asDouble()).isCloseTo(((Number) net).doubleValue(), within(1e-9));
            }
        }
        assertThat(get(base, "/api/timeseries?bucket=auto").json().get("bucket").asText()).isEqualTo("minute");
        assertThat(get(base, "/api/timeseries?bucket=week").status()).isEqualTo(400);
        assertThat(get(base, "/api/timeseries?bucket=minute&from=2020-01-01&to=2026-01-01").status()).isEqualTo(400);
    }

    @Test
    void entitiesWithSentimentSplitAndTrend() throws Exception {
        JsonNode entities = get(base, "/api/entities?limit=10").json().get("entities");
        List<List<Object>> expected = independent(lake, "SELECT lower(e.text), e.type, count(*),"
                + " count(DISTINCT e.post_id) FILTER (WHERE p.sentiment = 'negative') FROM e JOIN p USING (post_id)"
                + " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2");
        assertThat(entities.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = entities.get(i);
            assertThat(e.get("text").asText().toLowerCase()).isEqualTo(expected.get(i).get(0));
            assertThat(e.get("type").asText()).isEqualTo(expected.get(i).get(1));
            assertThat(e.get("mentions").asLong()).isEqualTo(((Number) expected.get(i).get(2)).longValue());
            assertThat(e.get("negative").asLong()).isEqualTo(((Number) expected.get(i).get(3)).longValue());
            long trend = 0;
            for (JsonNode n : e.get("trend")) {
                trend += n.asLong();
            }
            assertThat(e.get("trend").size()).isEqualTo(12);
            assertThat(trend).isEqualTo(e.get("mentions").asLong());
        }
        JsonNode people = get(base, "/api/entities?type=PER").json().get("entities");
        assertThat(people).hasSize(1);
        assertThat(people.get(0).get("text").asText()).isEqualTo("Satoshi");
        assertThat(people.get(0).get("posts").asLong()).isEqualTo(7); // x:2, x:4, x:6 and bluesky:1-4; x:8 deleted
        JsonNode onBluesky = get(base, "/api/entities?platform=bluesky&limit=1").json().get("entities");
        assertThat(onBluesky.get(0).get("mentions").asLong()).isEqualTo(4);
        assertThat(get(base, "/api/entities?type=THING").status()).isEqualTo(400);
        assertThat(get(base, "/api/entities?limit=0").status()).isEqualTo(400);
    }

    @Test
    void termsHashtagsMentionsDomains() throws Exception {
        JsonNode hashtags = get(base, "/api/terms?kind=hashtag").json();
        assertThat(hashtags.get("kind").asText()).isEqualTo("hashtag");
        assertThat(hashtags.get("terms").get(0).get("term").asText()).isEqualTo("btc");
        assertThat(hashtags.get("terms").get(0).get("posts").asLong())
                .isEqualTo(count(lake, "SELECT count(*) FROM p WHERE list_contains(hashtags, 'BTC')"));
        assertThat(hashtags.get("terms").get(1).get("term").asText()).isEqualTo("eth");
        assertThat(hashtags.get("terms").get(1).get("posts").asLong()).isEqualTo(4);
        JsonNode mentions = get(base, "/api/terms?kind=mention").json().get("terms");
        assertThat(mentions.get(0).get("term").asText()).isEqualTo("alice");
        assertThat(mentions.get(0).get("posts").asLong()).isEqualTo(6);
        JsonNode domains = get(base, "/api/terms?kind=domain&platform=x").json().get("terms");
        assertThat(domains).hasSize(1);
        assertThat(domains.get(0).get("term").asText()).isEqualTo("coindesk.com");
        assertThat(get(base, "/api/terms?kind=emoji").status()).isEqualTo(400);
    }

    @Test
    void postsSortPaginateAndCarryEntities() throws Exception {
        List<Object> newestFirst = independent(lake, "SELECT post_id FROM p ORDER BY created_at DESC, post_id").stream()
                .map(r -> r.get(0)).toList();
        List<Object> paged = new ArrayList<>();
        for (int offset = 0; offset < 12; offset += 3) {
            JsonNode page = get(base, "/api/posts?limit=3&offset=" + offset).json();
            assertThat(page.get("total").asLong()).isEqualTo(11);
            assertThat(page.get("offset").asInt()).isEqualTo(offset);
            page.get("posts").forEach(p -> paged.add(p.get("post_id").asText()));
        }
        assertThat(paged).isEqualTo(newestFirst);
        JsonNode engaged = get(base, "/api/posts?sort=engagement&limit=2").json().get("posts");
        assertThat(engaged.get(0).get("post_id").asText()).isEqualTo("bluesky:4");
        assertThat(engaged.get(1).get("post_id").asText()).isEqualTo("bluesky:3");
        JsonNode x2 = find(get(base, "/api/posts?limit=500").json().get("posts"), "x:2");
        assertThat(x2.get("hashtags").get(0).asText()).isEqualTo("BTC");
        assertThat(x2.get("created_at").asText()).isEqualTo(END.minusSeconds(7 * 15 * 60).toString());
        List<String> entityTexts = new ArrayList<>();
        for (JsonNode e : x2.get("entities")) {
            String text = x2.get("text").asText();
            assertThat(text.substring(e.get("char_start").asInt(), e.get("char_end").asInt())).isEqualTo(e.get("text").asText());
            entityTexts.add(e.get("text").asText());
        }
        assertThat(entityTexts).containsExactly("Bitcoin", "Berlin", "Satoshi");
        assertThat(get(base, "/api/posts?limit=501").status()).isEqualTo(400);
        assertThat(get(base, "/api/posts?offset=-1").status()).isEqualTo(400);
        assertThat(get(base, "/api/posts?sort=random").status()).isEqualTo(400);
        assertThat(get(base, "/api/posts?offset=100").json().get("posts")).isEmpty();
    }

    @Test
    void deletedPostNeverAppears() throws Exception {
        for (String query : List.of("/api/posts?limit=500", "/api/posts?limit=500&entity=bitcoin", "/api/posts?limit=500&sort=engagement",
                "/api/entity?text=Bitcoin")) {
            assertThat(get(base, query).body()).as(query).doesNotContain("\"x:8\"").doesNotContain("x.com/i/status/8");
        }
        assertThat(get(base, "/api/entity?text=bitcoin").json().get("posts").asLong()).isEqualTo(7);
        var answer = Http.postJson(base, "/api/sql", Map.of("sql", "SELECT count(*) AS n FROM posts WHERE post_id = 'x:8'"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode sql = answer.json();
        assertThat(sql.get("rows").get(0).get(0).asLong()).isZero();
    }

    @Test
    void hostileStringsComeBackExactly() throws Exception {
        JsonNode x7 = find(get(base, "/api/posts?limit=500").json().get("posts"), "x:7");
        assertThat(x7.get("text").asText()).isEqualTo(FixtureLake.HOSTILE_TEXT + " Bitcoin");
        JsonNode bitcoin = x7.get("entities").get(0);
        assertThat(x7.get("text").asText().substring(bitcoin.get("char_start").asInt(), bitcoin.get("char_end").asInt()))
                .isEqualTo("Bitcoin");
        for (String hostile : List.of("'; DROP TABLE posts; --", "\" OR 1=1 --", "%", "_", "\\", "<script>")) {
            var answer = get(base, "/api/posts?q=" + enc(hostile) + "&entity=" + enc(hostile) + "&rule=" + enc(hostile));
            assertThat(answer.status()).as(hostile).isEqualTo(200);
            assertThat(answer.json().get("total").asLong()).as(hostile).isZero();
        }
        assertThat(get(base, "/api/posts?q=" + enc("<script>alert('x')</script>")).json().get("total").asLong()).isEqualTo(1);
        assertThat(get(base, "/api/overview").json().get("posts").asLong()).isEqualTo(11);
    }

    @Test
    void entityPage() throws Exception {
        JsonNode e = get(base, "/api/entity?text=satoshi&type=PER&bucket=hour").json();
        assertThat(e.get("text").asText()).isEqualTo("Satoshi");
        assertThat(e.get("type").asText()).isEqualTo("PER");
        assertThat(e.get("posts").asLong()).isEqualTo(7);
        assertThat(e.get("mentions").asLong()).isEqualTo(7);
        assertThat(e.get("timeseries").get("bucket").asText()).isEqualTo("hour");
        long inSeries = 0;
        for (JsonNode p : e.get("timeseries").get("points")) {
            inSeries += p.get("posts").asLong();
        }
        assertThat(inSeries).isEqualTo(7);
        assertThat(e.get("cooccurring").get(0).get("text").asText()).isEqualTo("Berlin");
        assertThat(e.get("cooccurring").get(0).get("posts").asLong()).isEqualTo(7);
        List<String> samples = new ArrayList<>();
        e.get("samples").forEach(s -> samples.add(s.get("post_id").asText()));
        assertThat(samples).containsExactly("bluesky:4", "bluesky:3", "x:6", "bluesky:2", "x:4", "bluesky:1", "x:2");
        JsonNode filtered = get(base, "/api/entity?text=Satoshi&platform=x").json();
        assertThat(filtered.get("posts").asLong()).isEqualTo(3);
        Http.Answer nobody = get(base, "/api/entity?text=Nobody");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.json().get("error").asText()).as("the endpoint's own message, not the router's").isEqualTo("no posts mention 'Nobody' within these filters");
        assertThat(get(base, "/api/entity").status()).isEqualTo(400);
    }

    @Test
    void healthShowsSourcesDeadLettersAndModels() throws Exception {
        JsonNode h = get(base, "/api/health").json();
        assertThat(h.get("sources").get(0).get("platform").asText()).isEqualTo("x");
        assertThat(h.get("sources").get(0).get("posts").asLong()).isEqualTo(7);
        assertThat(h.get("sources").get(0).get("last_created_at").asText()).isEqualTo(END.minusSeconds(30 * 60).toString());
        assertThat(h.get("sources").get(0).get("lag_seconds").asDouble()).isEqualTo(2.0);
        assertThat(h.get("sources").get(1).get("posts").asLong()).isEqualTo(4);
        assertThat(h.get("dead_letters").get("count").asLong()).isEqualTo(2);
        assertThat(h.get("dead_letters").get("by_reason").get(0).get("reason").asText())
                .isEqualTo("not JSON: unexpected character at N");
        assertThat(h.get("dead_letters").get("latest").get(0).get("at").asText()).isEqualTo(END.minusSeconds(300).toString());
        assertThat(h.get("model_versions").get(0).get("model_version").asText()).isEqualTo("tweet-multitask-v1");
        assertThat(h.get("model_versions").get(0).get("posts").asLong()).isEqualTo(10);
        assertThat(h.get("files").asInt()).isGreaterThan(3);
        assertThat(h.get("last_commit").asText()).isNotBlank();
        assertThat(h.get("lake").asText()).isEqualTo(lake.toAbsolutePath().normalize().toString());
    }

    @Test
    void errorsAreJsonAndHeadersAreSet() throws Exception {
        var bad = get(base, "/api/overview?from=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'from'");
        assertThat(get(base, "/api/overview?sentiment=angry").json().get("error").asText()).contains("sentiment");
        var missing = get(base, "/api/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).contains("/api/nothing");
        for (String path : List.of("/", "/api/overview", "/api/nothing")) {
            var answer = get(base, path);
            assertThat(answer.response().headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValue(RequestGuard.CONTENT_SECURITY_POLICY);
            assertThat(answer.response().headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        JsonNode openApi = get(base, "/api/openapi.json").json();
        assertThat(openApi.get("openapi").asText()).startsWith("3.");
        for (String path : List.of("/api/overview", "/api/timeseries", "/api/signals", "/api/entities", "/api/terms", "/api/posts",
                "/api/entity", "/api/health", "/api/lake-version", "/api/sql", "/api/sql/download", "/api/alerts")) {
            assertThat(openApi.get("paths").has(path)).as(path).isTrue();
        }
    }

    static JsonNode find(JsonNode posts, String id) {
        for (JsonNode p : posts) {
            if (p.get("post_id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no post " + id + " in " + posts);
    }
}
