package io.tidings.dashboard;

import static io.tidings.dashboard.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON shape of every data endpoint: each object's field names in order (the page and API.md
 * read them; the answers are records, whose component order is the field order) and counts as
 * integers. The expected lists are what the answers had when they were hand-built maps.
 */
class AnswerShapeTest {
    static final List<String> POST = List.of("post_id", "platform", "url", "created_at", "author_handle", "author_name",
            "author_followers", "text", "lang_detected", "sentiment", "p_negative", "p_neutral", "p_positive", "like_count",
            "repost_count", "reply_count", "quote_count", "hashtags", "matched_rules", "emotion", "emotion_score", "offensive",
            "offensive_score", "hate", "hate_score", "irony", "irony_score", "entities");
    static final List<String> POST_ENTITY = List.of("text", "type", "char_start", "char_end", "score");
    static final List<String> POINT = List.of("t", "posts", "negative", "neutral", "positive", "unscored", "net_sentiment");

    @TempDir
    static Path lake;
    static Dashboard dashboard;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        dashboard = Dashboard.start(Dashboard.Options.local(lake));
        base = dashboard.url();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void everyEndpointKeepsItsFieldsInOrder() throws Exception {
        assertThat(shape("/api/overview")).containsExactly(
                Map.entry("", List.of("posts", "authors", "scored", "negative", "neutral", "positive", "net_sentiment",
                        "reach", "first", "last", "lake_version")));
        assertThat(shape("/api/timeseries")).containsExactly(
                Map.entry("", List.of("bucket", "points")), Map.entry(".points[]", POINT));
        List<String> flag = List.of("posts", "scored", "share");
        assertThat(shape("/api/signals")).containsExactly(
                Map.entry("", List.of("bucket", "emotions", "totals", "points")),
                Map.entry(".totals", List.of("posts", "scored", "unscored", "emotions", "offensive", "hate", "irony")),
                Map.entry(".totals.emotions", List.of("anger", "joy", "optimism", "sadness")),
                Map.entry(".totals.offensive", flag), Map.entry(".totals.hate", flag), Map.entry(".totals.irony", flag),
                Map.entry(".points[]", List.of("t", "posts", "scored", "unscored", "emotions", "offensive", "hate", "irony")),
                Map.entry(".points[].emotions", List.of("anger", "joy", "optimism", "sadness")),
                Map.entry(".points[].offensive", flag), Map.entry(".points[].hate", flag), Map.entry(".points[].irony", flag));
        assertThat(shape("/api/entities")).containsExactly(
                Map.entry("", List.of("entities")),
                Map.entry(".entities[]", List.of("text", "type", "mentions", "posts", "negative", "neutral", "positive",
                        "net_sentiment", "trend")));
        assertThat(shape("/api/terms")).containsExactly(
                Map.entry("", List.of("kind", "terms")), Map.entry(".terms[]", List.of("term", "posts", "net_sentiment")));
        assertThat(shape("/api/posts")).containsExactly(
                Map.entry("", List.of("total", "offset", "limit", "posts")), Map.entry(".posts[]", POST),
                Map.entry(".posts[].entities[]", POST_ENTITY));
        assertThat(shape("/api/entity?text=bitcoin")).containsExactly(
                Map.entry("", List.of("text", "type", "mentions", "posts", "negative", "neutral", "positive", "net_sentiment",
                        "timeseries", "cooccurring", "samples")),
                Map.entry(".timeseries", List.of("bucket", "points")), Map.entry(".timeseries.points[]", POINT),
                Map.entry(".cooccurring[]", List.of("text", "type", "posts")), Map.entry(".samples[]", POST),
                Map.entry(".samples[].entities[]", POST_ENTITY));
        assertThat(shape("/api/health")).containsExactly(
                Map.entry("", List.of("sources", "dead_letters", "model_versions", "last_commit", "files", "lake")),
                Map.entry(".sources[]", List.of("platform", "posts", "last_created_at", "last_ingested_at", "posts_last_hour",
                        "lag_seconds")),
                Map.entry(".dead_letters", List.of("count", "by_reason", "latest")),
                Map.entry(".dead_letters.by_reason[]", List.of("reason", "count")),
                Map.entry(".dead_letters.latest[]", List.of("reason", "at")),
                Map.entry(".model_versions[]", List.of("model_version", "posts")));
        // Thresholds low enough that the sample lake's keys are listed.
        assertThat(shape("/api/trending?min=1&min_score=-100&min_ratio=0")).containsExactly(
                Map.entry("", List.of("kind", "window", "baseline", "min_posts", "min_score", "min_ratio", "window_start",
                        "window_end", "baseline_windows", "keys")),
                Map.entry(".keys[]", List.of("kind", "key", "label", "entity_type", "posts", "baseline_posts", "expected",
                        "ratio", "score", "new")));
    }

    @Test
    void countsAreIntegersAndEmptyAnswersKeepTheirShape() throws Exception {
        JsonNode o = get(base, "/api/overview").json();
        for (String count : List.of("posts", "authors", "scored", "negative", "neutral", "positive", "reach")) {
            assertThat(o.get(count).isIntegralNumber()).as(count).isTrue();
        }
        assertThat(o.get("net_sentiment").isFloatingPointNumber()).isTrue();
        JsonNode posts = get(base, "/api/posts?limit=3&offset=1").json();
        assertThat(posts.get("total").isIntegralNumber()).isTrue();
        assertThat(posts.get("offset").asInt()).isEqualTo(1);
        assertThat(posts.get("limit").asInt()).isEqualTo(3);
        assertThat(get(base, "/api/entities").json().get("entities").get(0).get("trend").get(0).isIntegralNumber()).isTrue();
        // No post matches: the same fields, empty lists, the bucket as asked (hour for auto).
        assertThat(get(base, "/api/timeseries?platform=nope").body()).isEqualTo("{\"bucket\":\"hour\",\"points\":[]}");
        assertThat(get(base, "/api/timeseries?platform=nope&bucket=minute").body()).isEqualTo("{\"bucket\":\"minute\",\"points\":[]}");
        assertThat(get(base, "/api/entities?platform=nope").body()).isEqualTo("{\"entities\":[]}");
        assertThat(get(base, "/api/posts?platform=nope").body()).isEqualTo("{\"total\":0,\"offset\":0,\"limit\":50,\"posts\":[]}");
        JsonNode trending = get(base, "/api/trending?min=1&min_score=-100&min_ratio=0").json();
        assertThat(trending.get("min_posts").isIntegralNumber()).isTrue();
        assertThat(trending.get("baseline_windows").isIntegralNumber()).isTrue();
        assertThat(trending.get("min_score").isFloatingPointNumber()).isTrue();
        assertThat(trending.get("keys").get(0).get("posts").isIntegralNumber()).isTrue();
        assertThat(trending.get("keys").get(0).get("baseline_posts").isIntegralNumber()).isTrue();
        assertThat(trending.get("keys").get(0).get("new").isBoolean()).isTrue();
    }

    /** Each object's field names, by path (".key" into an object, "[]" into a list's items), in the order first met. */
    private static Map<String, List<String>> shape(String pathAndQuery) throws Exception {
        Http.Answer a = get(base, pathAndQuery);
        assertThat(a.status()).as(pathAndQuery).isEqualTo(200);
        Map<String, List<String>> out = new LinkedHashMap<>();
        walk(a.json(), "", out);
        return out;
    }

    private static void walk(JsonNode node, String path, Map<String, List<String>> out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            out.putIfAbsent(path, names);
            node.fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            node.forEach(item -> walk(item, path + "[]", out));
        }
    }
}
