package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New files are loaded on the dashboard's refresher thread, in a transaction that requests do not
 * wait for: while a refresh is held just before it commits, every endpoint answers from the state
 * before it (the old version and counts), and once it commits the new files' rows appear.
 */
class BackgroundRefreshTest {
    static final Instant END = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path lake;

    @Test
    void requestsAreAnsweredWhileARefreshIsHeldAndTheNewFilesAppearAfter() throws Exception {
        FixtureLake.writeSample(lake, END);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (Dashboard d = Dashboard.start(Dashboard.Options.local(lake))) {
            URI base = d.url();
            String v0 = Http.get(base, "/api/lake-version").json().get("lake_version").asText();
            assertThat(Http.get(base, "/api/overview").json().get("posts").asLong()).isEqualTo(11);

            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            d.database().beforeCommit(() -> {
                holding.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                FixtureLake more = FixtureLake.at(lake);
                FixtureLake.Post late = more.post("x:100", END.plusSeconds(60), "late news about Quetzalcoatl");
                late.sentiment = "negative";
                more.entity(late, "Quetzalcoatl", "PER");
                more.commit();
                assertThat(holding.await(1, TimeUnit.MINUTES)).as("the refresher picked the new files up").isTrue();

                // The refresh has appended the rows and sits before its commit: requests run meanwhile.
                List<Future<JsonNode>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    for (String path : List.of("/api/overview?run=" + i, "/api/entities?limit=50&run=" + i,
                            "/api/terms?kind=hashtag&run=" + i, "/api/posts?run=" + i, "/api/lake-version")) {
                        answers.add(clients.submit(() -> {
                            Http.Answer answer = Http.get(base, path);
                            assertThat(answer.status()).as(path).isEqualTo(200);
                            return answer.json();
                        }));
                    }
                }
                for (int i = 0; i < answers.size(); i++) {
                    JsonNode answer;
                    try {
                        // A bound only so that a request stuck behind the held refresh fails the test
                        // instead of hanging it; the refresh stays held the whole time.
                        answer = answers.get(i).get(1, TimeUnit.MINUTES);
                    } catch (TimeoutException e) {
                        throw new AssertionError("a request waited on the held refresh");
                    }
                    switch (i % 5) {
                        case 0 -> assertThat(answer.get("posts").asLong()).isEqualTo(11);
                        case 1 -> assertThat(answer.get("entities").toString()).doesNotContain("Quetzalcoatl");
                        case 4 -> assertThat(answer.get("lake_version").asText()).isEqualTo(v0);
                        default -> assertThat(answer).isNotNull();
                    }
                }
                assertThat(release.getCount()).as("still held while the requests were answered").isEqualTo(1);
            } finally {
                release.countDown();
            }

            String v1 = awaitNewVersion(base, v0);
            assertThat(v1).isNotEqualTo(v0);
            JsonNode overview = Http.get(base, "/api/overview").json();
            assertThat(overview.get("posts").asLong()).isEqualTo(12);
            assertThat(overview.get("last").asText()).isEqualTo(END.plusSeconds(60).toString());
            assertThat(Http.get(base, "/api/entities?limit=50").json().get("entities").toString()).contains("Quetzalcoatl");
            assertThat(Http.get(base, "/api/entity?text=Quetzalcoatl").json().get("posts").asLong()).isEqualTo(1);
        } finally {
            clients.shutdownNow();
        }
    }

    private static String awaitNewVersion(URI base, String old) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String v = Http.get(base, "/api/lake-version").json().get("lake_version").asText();
            if (!v.equals(old)) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("lake_version did not change");
    }
}
