package io.tidings.dashboard;

import static io.tidings.dashboard.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.athena.LakeSql;
import io.tidings.athena.LocalLake;
import io.tidings.dashboard.alerts.AlertRule;
import io.tidings.dashboard.api.Trending;
import io.tidings.dashboard.fixture.FixtureLake;
import io.tidings.dashboard.fixture.SyntheticLake;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * Trending on a synthetic lake: a week of steady posts (SyntheticLake: uniform random times, so
 * every key's hourly counts are Poisson around a constant rate) shows nothing trending and fires
 * no alert; then bursts are planted in the last hour — a hashtag and an entity at about ten times
 * their hourly rate, a new hashtag with 6 posts, another with 4 — and exactly the first three are
 * found, through the endpoint, the lake's SQL view (which must agree) and an alert rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrendingTest {
    static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    static final String HASHTAG = "tag7";
    static final String ENTITY = "entity150";

    @TempDir
    static Path lake;
    Dashboard dashboard;
    URI base;

    @BeforeAll
    void start() throws Exception {
        SyntheticLake.write(lake, 60_000, END, 7, 11);
        dashboard = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, null,
                List.of("rising=trending score>6 kind=hashtag min=10", "elsewhere=trending score>6 kind=entity platform=bluesky",
                        "words=trending score>6 kind=term"), null, null));
        base = dashboard.url();
    }

    @AfterAll
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    @Order(1)
    void aSteadyLakeHasNothingTrendingAndFiresNoAlert() throws Exception {
        JsonNode steady = get(base, "/api/trending").json();
        assertThat(steady.get("keys")).as("trending keys of a steady lake").isEmpty();
        assertThat(steady.get("baseline_windows").asLong()).isEqualTo(167);
        assertThat(steady.get("window").asText()).isEqualTo("1h");
        // Keys with at least 5 posts in the window exist and were scored: the thresholds left them out.
        JsonNode everything = get(base, "/api/trending?min_score=-100&min_ratio=0&limit=200").json().get("keys");
        assertThat(everything.size()).isGreaterThan(20);
        List<String> kinds = new ArrayList<>();
        everything.forEach(k -> kinds.add(k.get("kind").asText()));
        assertThat(kinds).contains("term", "hashtag", "entity");
        for (JsonNode k : everything) {
            assertThat(k.get("score").asDouble()).as(k.toString()).isLessThan(Trending.DEFAULT_MIN_SCORE);
        }
        try (LocalLake sql = LocalLake.open(lake)) {
            assertThat(sql.query("SELECT count(*) FROM trending WHERE trending", 1).rows().get(0).get(0)).isEqualTo(0L);
        }
        dashboard.alerts().evaluate();
        JsonNode alerts = get(base, "/api/alerts").json();
        alerts.get("rules").forEach(r -> assertThat(r.get("state").asText()).as(r.toString()).isEqualTo("ok"));
        assertThat(alerts.get("events")).isEmpty();
    }

    @Test
    @Order(2)
    void plantedBurstsAreFoundAndNothingElse() throws Exception {
        String version = get(base, "/api/lake-version").json().get("lake_version").asText();
        long hashtagBase;
        long entityBase;
        try (LocalLake sql = LocalLake.open(lake)) {
            hashtagBase = ((Number) sql.query("SELECT count(*) FROM posts WHERE list_contains(hashtags, '" + HASHTAG + "')", 1)
                    .rows().get(0).get(0)).longValue();
            entityBase = ((Number) sql.query("SELECT count(DISTINCT post_id) FROM entities WHERE text_key = '" + ENTITY + "'", 1)
                    .rows().get(0).get(0)).longValue();
        }
        // Ten times the hourly rate in the last hour: nine times the rate more posts.
        int hashtagBurst = (int) Math.max(10, Math.round(9.0 * hashtagBase / 168));
        int entityBurst = (int) Math.max(10, Math.round(9.0 * entityBase / 168));
        FixtureLake more = FixtureLake.at(lake);
        Instant start = END.minus(Duration.ofMinutes(55));
        for (int i = 0; i < hashtagBurst; i++) {
            more.post("x:burst-h" + i, start.plusSeconds(60L * i % 3000), "#" + HASHTAG).hashtags = List.of(HASHTAG.toUpperCase());
        }
        for (int i = 0; i < entityBurst; i++) {
            FixtureLake.Post p = more.post("x:burst-e" + i, start.plusSeconds(37L * i % 3000), "Entity150");
            more.entity(p, "Entity150", "LOC");
        }
        for (int i = 0; i < 6; i++) {
            more.post("x:new6-" + i, start.plusSeconds(100L * i), "#brandnew").hashtags = List.of("BrandNew");
        }
        for (int i = 0; i < 4; i++) {
            more.post("x:new4-" + i, start.plusSeconds(100L * i), "#fewnew").hashtags = List.of("fewnew");
        }
        more.commit();
        awaitNewVersion(version);

        JsonNode keys = get(base, "/api/trending").json().get("keys");
        List<String> found = new ArrayList<>();
        keys.forEach(k -> found.add(k.get("kind").asText() + ":" + k.get("key").asText()));
        assertThat(found).containsExactlyInAnyOrder("hashtag:" + HASHTAG, "entity:" + ENTITY, "hashtag:brandnew");
        for (JsonNode k : keys) {
            assertThat(k.get("new").asBoolean()).as(k.toString()).isEqualTo(k.get("key").asText().equals("brandnew"));
            assertThat(k.get("ratio").asDouble()).as(k.toString()).isGreaterThan(Trending.DEFAULT_MIN_RATIO);
        }
        JsonNode tag = find(keys, HASHTAG);
        assertThat(tag.get("posts").asLong()).isGreaterThanOrEqualTo(hashtagBurst);
        assertThat(tag.get("ratio").asDouble()).isGreaterThan(5);
        JsonNode entity = find(keys, ENTITY);
        assertThat(entity.get("label").asText()).isEqualTo("Entity150");
        assertThat(entity.get("posts").asLong()).isGreaterThanOrEqualTo(entityBurst);
        // The word entity150 rose too: in the mixed list it is shown once, as the entity; among terms alone it is listed.
        assertThat(found).doesNotContain("term:" + ENTITY);
        assertThat(keys(get(base, "/api/trending?kind=term").json())).containsExactly(ENTITY);
        assertThat(keys(get(base, "/api/trending?kind=hashtag").json())).containsExactlyInAnyOrder(HASHTAG, "brandnew");
        assertThat(keys(get(base, "/api/trending?kind=entity").json())).containsExactly(ENTITY);
        // #fewnew has 4 posts, under the minimum of 5; with a minimum of 4 it is listed (new, high score).
        assertThat(found).doesNotContain("hashtag:fewnew");
        assertThat(keys(get(base, "/api/trending?kind=hashtag&min=4").json())).contains("fewnew");
        // Filters apply: the bursts are on x, not on bluesky.
        assertThat(keys(get(base, "/api/trending?platform=bluesky").json())).isEmpty();
        assertThat(keys(get(base, "/api/trending?platform=x").json())).containsExactlyInAnyOrder(HASHTAG, ENTITY, "brandnew");
        // A window that ends before the bursts (to=) sees the steady lake again.
        assertThat(keys(get(base, "/api/trending?to=" + start.minusSeconds(60)).json())).isEmpty();

        // The lake's SQL view, over the files, finds the same keys with the same numbers.
        try (LocalLake sql = LocalLake.open(lake)) {
            List<List<Object>> view = sql.query("SELECT kind, key, posts, expected, ratio, score FROM trending WHERE trending"
                    + " ORDER BY score DESC, kind, key", 100).rows();
            List<List<Object>> endpoint = new ArrayList<>();
            keys.forEach(k -> endpoint.add(List.of(k.get("kind").asText(), k.get("key").asText(), k.get("posts").asLong(),
                    k.get("expected").asDouble(), k.get("ratio").asDouble(), k.get("score").asDouble())));
            assertThat(view.stream().map(r -> List.of(r.get(0), r.get(1), ((Number) r.get(2)).longValue(), r.get(3), r.get(4), r.get(5)))
                    .toList()).isEqualTo(endpoint);
        }
    }

    @Test
    @Order(3)
    void theAlertFiresOnTheBurstNamingTheKey() throws Exception {
        dashboard.alerts().evaluate();
        JsonNode alerts = get(base, "/api/alerts").json();
        Map<String, String> states = new java.util.HashMap<>();
        alerts.get("rules").forEach(r -> states.put(r.get("name").asText(), r.get("state").asText()));
        // rising: #tag7 has a score far above 6 and over 10 posts; #brandnew has 6 posts, under min=10.
        // elsewhere: the bursts are on x. words: no term trends.
        assertThat(states).containsEntry("rising", "firing").containsEntry("elsewhere", "ok").containsEntry("words", "ok");
        assertThat(alerts.get("events")).hasSize(1);
        JsonNode event = alerts.get("events").get(0);
        assertThat(event.get("rule").asText()).isEqualTo("rising");
        assertThat(event.get("message").asText()).contains("#" + HASHTAG).doesNotContain("brandnew");
        assertThat(event.get("keys").get(0).get("key").asText()).isEqualTo(HASHTAG);
        // Still firing for the same key: no second event.
        dashboard.alerts().evaluate();
        assertThat(get(base, "/api/alerts").json().get("events")).hasSize(1);
    }

    @Test
    @Order(4)
    void aPostCountsOnceADeletedOneNotAndOnlyWordsAreTerms() throws Exception {
        String version = get(base, "/api/lake-version").json().get("lake_version").asText();
        FixtureLake more = FixtureLake.at(lake);
        Instant start = END.minus(Duration.ofMinutes(50));
        for (int i = 0; i < 12; i++) {
            // A word three times, a number, a function word and underscores: one post, one term, quixotic.
            FixtureLake.Post p = more.post("x:repeat" + i, start.plusSeconds(120L * i),
                    "Quixotic quixotic QUIXOTIC 98765 the the ___ Zorblat ZORBLAT");
            // The same entity twice in a post, by two types: counted once; its label the commoner spelling.
            more.entity(p, "Zorblat", "ORG");
            if (i % 3 == 0) {
                more.entity(p, "ZORBLAT", "PER");
            }
        }
        for (int i = 0; i < 6; i++) {
            // Twice Frobnik, once FROBNIK in each post: the label counts mentions, not posts.
            String text = "Frobnik said FROBNIK and Frobnik again";
            more.post("x:frobnik" + i, start.plusSeconds(200L * i), text);
            more.entity("x:frobnik" + i, "Frobnik", "ORG", 0, 7, 0.9);
            more.entity("x:frobnik" + i, "FROBNIK", "ORG", text.indexOf("FROBNIK"), text.indexOf("FROBNIK") + 7, 0.9);
            more.entity("x:frobnik" + i, "Frobnik", "ORG", text.lastIndexOf("Frobnik"), text.lastIndexOf("Frobnik") + 7, 0.9);
        }
        more.tombstone("x:repeat11", "x", start.plusSeconds(1800));
        for (int i = 0; i < 6; i++) {
            // A post written twice (an unedited post read by two runs: two live rows): one post per key.
            FixtureLake.Post p = more.post("x:twice" + i, start.plusSeconds(300L * i), "Duplexword #duptag Dupent");
            p.hashtags = List.of("duptag");
            more.entity(p, "Dupent", "ORG");
            more.entity(more.again(p, p.ingestedAt.plusSeconds(60)), "Dupent", "ORG");
        }
        more.commit();
        awaitNewVersion(version);

        JsonNode terms = get(base, "/api/trending?kind=term&min_score=-100&min_ratio=0&limit=200").json().get("keys");
        assertThat(find(terms, "quixotic").get("posts").asLong()).as("posts carrying the word, the deleted one left out").isEqualTo(11);
        assertThat(keys(get(base, "/api/trending?kind=term&min_score=-100&min_ratio=0&limit=200").json()))
                .doesNotContain("98765", "the", "___", "Quixotic");
        JsonNode entity = find(get(base, "/api/trending?kind=entity").json().get("keys"), "zorblat");
        assertThat(entity.get("posts").asLong()).isEqualTo(11);
        assertThat(entity.get("label").asText()).isEqualTo("Zorblat");
        assertThat(entity.get("entity_type").asText()).isEqualTo("ORG");
        JsonNode frobnik = find(get(base, "/api/trending?kind=entity").json().get("keys"), "frobnik");
        assertThat(frobnik.get("label").asText()).isEqualTo("Frobnik");
        assertThat(frobnik.get("posts").asLong()).isEqualTo(6);
        JsonNode mixed = get(base, "/api/trending?limit=100").json().get("keys");
        assertThat(find(mixed, "duplexword").get("posts").asLong()).isEqualTo(6);
        assertThat(find(mixed, "duptag").get("posts").asLong()).isEqualTo(6);
        assertThat(find(mixed, "dupent").get("posts").asLong()).isEqualTo(6);
        JsonNode joined = get(base, "/api/trending?q=duplexword&min_score=-100&min_ratio=0&limit=200").json().get("keys");
        assertThat(find(joined, "duptag").get("posts").asLong()).as("post_terms joined with the posts, both twice").isEqualTo(6);
        assertThat(find(joined, "duplexword").get("posts").asLong()).isEqualTo(6);
        // A text filter joins the mentions with the posts: the same counts.
        JsonNode filtered = get(base, "/api/trending?q=quixotic").json().get("keys");
        assertThat(find(filtered, "zorblat").get("posts").asLong()).isEqualTo(11);
        assertThat(find(filtered, "zorblat").get("label").asText()).isEqualTo("Zorblat");
        // In the mixed list the word zorblat is the entity only; quixotic is a term.
        JsonNode all = get(base, "/api/trending?limit=100").json().get("keys");
        List<String> found = new ArrayList<>();
        all.forEach(k -> found.add(k.get("kind").asText() + ":" + k.get("key").asText()));
        assertThat(found).contains("entity:zorblat", "term:quixotic").doesNotContain("term:zorblat");
        // The lake's view over the files agrees, key for key.
        try (LocalLake sql = LocalLake.open(lake)) {
            List<List<Object>> view = sql.query("SELECT kind, key, label, posts FROM trending WHERE trending ORDER BY score DESC, kind, key",
                    100).rows();
            List<List<Object>> endpoint = new ArrayList<>();
            all.forEach(k -> endpoint.add(List.of(k.get("kind").asText(), k.get("key").asText(), k.get("label").asText(),
                    k.get("posts").asLong())));
            assertThat(view.stream().map(r -> List.of(r.get(0), r.get(1), r.get(2), ((Number) r.get(3)).longValue())).toList())
                    .isEqualTo(endpoint);
        }
    }

    @Test
    void parametersAreCheckedAndNamed() throws Exception {
        assertThat(get(base, "/api/trending?kind=emoji").status()).isEqualTo(400);
        assertThat(get(base, "/api/trending?window=5x").json().get("error").asText()).contains("window");
        assertThat(get(base, "/api/trending?window=1h&baseline=1h").json().get("error").asText()).contains("baseline");
        assertThat(get(base, "/api/trending?min_score=lots").json().get("error").asText()).contains("min_score");
        assertThat(get(base, "/api/trending?window=5m&baseline=90d").json().get("error").asText()).contains("windows");
    }

    @Test
    void theAlertGrammarReadsTrendingRules() {
        AlertRule rule = AlertRule.parse("rising=trending score>6 kind=hashtag min=10 over 30m trailing 3d platform=x");
        assertThat(rule.kind()).isEqualTo("trending");
        assertThat(rule.trendingKind()).isEqualTo("hashtag");
        assertThat(rule.threshold()).isEqualTo(6.0);
        assertThat(rule.minPosts()).isEqualTo(10);
        assertThat(rule.window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rule.trailing()).isEqualTo(Duration.ofDays(3));
        assertThat(rule.filters()).containsKey("platform");
        AlertRule plain = AlertRule.parse("any=trending score>4");
        assertThat(plain.trendingKind()).isEqualTo("all");
        assertThat(plain.window()).isEqualTo(Duration.ofHours(1));
        assertThat(plain.trailing()).isEqualTo(Duration.ofDays(7));
        assertThat(plain.minPosts()).isEqualTo(5);
        assertThatThrownBy(() -> AlertRule.parse("a=trending")).hasMessageContaining("score>");
        assertThatThrownBy(() -> AlertRule.parse("a=trending score>6 kind=emoji")).hasMessageContaining("kind");
        assertThatThrownBy(() -> AlertRule.parse("a=trending score>6 over 1h trailing 1h")).hasMessageContaining("baseline");
        assertThatThrownBy(() -> AlertRule.parse("a=trending score>6 colour=red")).hasMessageContaining("colour");
    }

    @Test
    void theViewAndTheEndpointReadTermsAlike() {
        // One definition of a term, written twice (the view is SQL for Athena too): the same text.
        String view = LakeSql.view("trending").sql();
        assertThat(view).contains(Trending.TERM_PATTERN).contains(Trending.TERM_CONDITION);
    }

    private static JsonNode find(JsonNode keys, String key) {
        for (JsonNode k : keys) {
            if (k.get("key").asText().equals(key)) {
                return k;
            }
        }
        throw new AssertionError(key + " not in " + keys);
    }

    private static List<String> keys(JsonNode answer) {
        List<String> keys = new ArrayList<>();
        answer.get("keys").forEach(k -> keys.add(k.get("key").asText()));
        return keys;
    }

    private void awaitNewVersion(String old) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!get(base, "/api/lake-version").json().get("lake_version").asText().equals(old)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("lake_version did not change");
    }
}
