package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tidings.dashboard.alerts.AlertRule;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New files change lake_version and show in the next answer; alert rules fire once and reach a real webhook. */
class LiveAndAlertsTest {
    static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    @TempDir
    Path lake;

    @Test
    void newFilesChangeTheVersionAndTheAnswers() throws Exception {
        // Starts on an empty lake: the tables are empty tables until the first files appear.
        try (Dashboard d = Dashboard.start(Dashboard.Options.local(lake))) {
            URI base = d.url();
            String v0 = Http.get(base, "/api/lake-version").json().get("lake_version").asText();
            assertThat(Http.get(base, "/api/overview").json().get("posts").asLong()).isZero();
            FixtureLake.writeSample(lake, END);
            String v1 = awaitNewVersion(base, v0);
            assertThat(Http.get(base, "/api/overview").json().get("posts").asLong()).isEqualTo(11);
            FixtureLake more = FixtureLake.at(lake);
            more.post("x:100", END.plusSeconds(60), "late news about Bitcoin").sentiment = "negative";
            more.commit();
            awaitNewVersion(base, v1);
            JsonNode overview = Http.get(base, "/api/overview").json();
            assertThat(overview.get("posts").asLong()).isEqualTo(12);
            assertThat(overview.get("last").asText()).isEqualTo(END.plusSeconds(60).toString());
            assertThat(Http.postJson(base, "/api/sql", java.util.Map.of("sql", "SELECT count(*) FROM posts")).json()
                    .get("rows").get(0).get(0).asLong()).isEqualTo(12);
        }
    }

    private static String awaitNewVersion(URI base, String old) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String v = Http.get(base, "/api/lake-version").json().get("lake_version").asText();
            if (!v.equals(old)) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("lake_version did not change");
    }

    @Test
    void grammarExplainsMistakes() {
        AlertRule neg = AlertRule.parse("neg=negative_share>0.40 over 15m rule=btc");
        assertThat(neg.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(neg.filters()).containsKey("rule");
        AlertRule surge = AlertRule.parse("surge=volume>3x trailing 1h");
        assertThat(surge.surge()).isTrue();
        assertThat(surge.trailing()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> AlertRule.parse("negative_share>0.4 over 15m")).hasMessageContaining("NAME");
        assertThatThrownBy(() -> AlertRule.parse("a=happiness>1 over 1m")).hasMessageContaining("unknown metric");
        assertThatThrownBy(() -> AlertRule.parse("a=volume>3 over 15q")).hasMessageContaining("duration");
        assertThatThrownBy(() -> AlertRule.parse("a=negative_share>0.4")).hasMessageContaining("over");
        assertThatThrownBy(() -> AlertRule.parse("a=negative_share>3x trailing 1h")).hasMessageContaining("volume");
        assertThatThrownBy(() -> AlertRule.parse("a=volume>3 over 1m colour=red")).hasMessageContaining("colour");
        assertThatThrownBy(() -> AlertRule.parse("a=volume>3 over 1m sentiment=angry")).hasMessageContaining("sentiment");
    }

    @Test
    void firingRulePostsOnceToTheWebhook() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            FixtureLake.writeSample(lake, END);
            URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            // Newest post: bluesky:4 at 11:40. The two hours before it hold btc posts x:1..x:7: 3 negative of 6 scored.
            List<String> rules = List.of("neg=negative_share>0.40 over 2h rule=btc min=3", "calm=negative_share>0.90 over 1h min=3",
                    "quiet=volume<1 over 15m");
            try (Dashboard d = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, null, rules, hook, null))) {
                d.alerts().evaluate();
                d.alerts().evaluate();
                d.alerts().evaluate();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(1500);
                assertThat(received).hasSize(1);
                JsonNode event = Http.JSON.readTree(received.get(0));
                assertThat(event.get("rule").asText()).isEqualTo("neg");
                assertThat(event.get("value").asDouble()).isEqualTo(0.5);
                assertThat(event.get("state").asText()).isEqualTo("firing");
                assertThat(event.get("at").asText()).isEqualTo("2026-11-26T11:40:00Z");
                JsonNode state = Http.get(d.url(), "/api/alerts").json();
                assertThat(state.get("rules").get(0).get("state").asText()).isEqualTo("firing");
                assertThat(state.get("rules").get(1).get("state").asText()).isEqualTo("ok");
                assertThat(state.get("rules").get(2).get("state").asText()).isEqualTo("ok");
                assertThat(state.get("events")).hasSize(1);
                assertThat(state.get("events").get(0).get("message").asText()).contains("negative_share 0.500 > 0.4");
            }
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void failingWebhookIsRetriedWithoutBlocking() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            attempts.add(attempts.size());
            exchange.sendResponseHeaders(attempts.size() == 1 ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            FixtureLake.writeSample(lake, END);
            URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            try (Dashboard d = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, null,
                    List.of("busy=volume>2 over 1h"), hook, null))) {
                long started = System.nanoTime();
                d.alerts().evaluate();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (attempts.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(attempts).hasSize(2);
            }
        } finally {
            receiver.stop(0);
        }
    }
}
