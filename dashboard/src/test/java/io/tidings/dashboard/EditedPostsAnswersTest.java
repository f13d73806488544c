package io.tidings.dashboard;

import static io.tidings.dashboard.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: an edited post (a Mastodon {@code status.update}) is a second version of the post in
 * the lake. Every answer of the dashboard counts the post once, as its newest version says: its
 * text, sentiment, hashtags and entities; the first version's are gone from every answer.
 */
class EditedPostsAnswersTest {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path lake;

    @Test
    void anEditReplacesThePostInEveryAnswerAsItsFileArrives() throws Exception {
        FixtureLake fixture = FixtureLake.at(lake);
        FixtureLake.Post first = fixture.post("mastodon:1", T, "Talks on Ukraine in Paris #peace");
        first.platform = "mastodon";
        first.sentiment = "negative";
        first.hashtags = List.of("peace");
        fixture.entity(first, "Ukraine", "LOC").entity(first, "Paris", "LOC");
        FixtureLake.Post other = fixture.post("mastodon:2", T.plusSeconds(60), "Paris again #peace");
        other.platform = "mastodon";
        other.sentiment = "positive";
        other.hashtags = List.of("peace");
        fixture.entity(other, "Paris", "LOC");
        fixture.commit();

        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            URI base = dashboard.url();
            assertThat(entityTexts(base)).containsExactly("Paris 2", "Ukraine 1");
            String before = get(base, "/api/lake-version").json().get("lake_version").asText();

            // The edit comes in a later checkpoint's files, as a live job commits it.
            FixtureLake later = FixtureLake.at(lake);
            FixtureLake.Post edited = later.edit(first, T.plusSeconds(600), "Talks on Ukraine moved to Berlin #diplomacy");
            edited.sentiment = "neutral";
            edited.hashtags = List.of("diplomacy");
            later.entity(edited, "Ukraine", "LOC").entity(edited, "Berlin", "LOC");
            later.commit();
            awaitNewVersion(base, before);

            JsonNode overview = get(base, "/api/overview").json();
            assertThat(overview.get("posts").asLong()).isEqualTo(2);
            assertThat(overview.get("negative").asLong()).isZero();
            assertThat(overview.get("neutral").asLong()).isEqualTo(1);
            JsonNode posts = get(base, "/api/posts?limit=10").json();
            assertThat(posts.get("total").asLong()).isEqualTo(2);
            JsonNode post = posts.get("posts").get(1);
            assertThat(post.get("post_id").asText()).isEqualTo("mastodon:1");
            assertThat(post.get("text").asText()).isEqualTo("Talks on Ukraine moved to Berlin #diplomacy");
            List<String> shownEntities = new ArrayList<>();
            post.get("entities").forEach(e -> shownEntities.add(e.get("text").asText()));
            assertThat(shownEntities).containsExactlyInAnyOrder("Ukraine", "Berlin");

            assertThat(entityTexts(base)).containsExactlyInAnyOrder("Berlin 1", "Paris 1", "Ukraine 1");
            JsonNode paris = get(base, "/api/entity?text=Paris").json();
            assertThat(paris.get("posts").asLong()).as("the edit no longer mentions Paris").isEqualTo(1);
            assertThat(get(base, "/api/posts?entity=Paris").json().get("total").asLong()).isEqualTo(1);
            // Entity filters on the other answers read the mentions table too.
            assertThat(get(base, "/api/overview?entity=Berlin").json().get("posts").asLong()).isEqualTo(1);

            List<String> terms = new ArrayList<>();
            get(base, "/api/terms?kind=hashtag&limit=10").json().get("terms")
                    .forEach(t -> terms.add(t.get("term").asText() + " " + t.get("posts").asLong()));
            assertThat(terms).containsExactly("diplomacy 1", "peace 1");
            assertThat(get(base, "/api/terms?kind=hashtag&platform=mastodon&limit=10").json().get("terms"))
                    .as("terms joined with the posts").hasSize(2);
        }
    }

    private static List<String> entityTexts(URI base) throws Exception {
        List<String> texts = new ArrayList<>();
        get(base, "/api/entities?limit=10").json().get("entities")
                .forEach(e -> texts.add(e.get("text").asText() + " " + e.get("posts").asLong()));
        return texts;
    }

    private static void awaitNewVersion(URI base, String old) throws Exception {
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
