package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every one of the 2,495 real X v1.1 statuses of the project's demo sample (sections A, B and E of
 * the Broad Twitter Corpus, CC-BY 4.0: README, "Data and licences") becomes a post whose fields
 * agree with the status itself. Read from {@code ../demo/} (the module directory is the working
 * directory of tests), so the test needs nothing outside the repository.
 */
class TwitterV1DatasetTest {
    static final Path DATASET = Path.of("../demo/btc-tweets.jsonl.gz");
    private static final long FROM = RawRecords.millis("2009-01-01T00:00:00Z");
    private static final long TO = RawRecords.millis("2016-01-01T00:00:00Z");

    @Test
    void everyStatusBecomesAPost() throws IOException {
        assertThat(DATASET).as("the demo sample, relative to the module directory").isRegularFile();
        PostNormalizer normalizer = new PostNormalizer();
        ObjectMapper mapper = new ObjectMapper();
        int lines = 0;
        int escaped = 0;
        Set<String> ids = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (Path file : List.of(DATASET)) {
            int lineNumber = 0;
            List<String> statuses;
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                statuses = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            for (String line : statuses) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                RawRecord raw = new RawRecord(file.getFileName().toString(), "line " + lineNumber,
                        line.getBytes(StandardCharsets.UTF_8), NOW);
                NormalizeResult result = normalizer.normalize(raw, NOW);
                if (!result.isPost()) {
                    failures.add(raw.position + " of " + raw.source + ": " + result);
                    continue;
                }
                Post post = result.post();
                JsonNode status = mapper.readTree(line);
                String idStr = status.get("id_str").asText();
                assertThat(post.postId).isEqualTo("x:" + idStr);
                assertThat(post.platform).isEqualTo("x");
                assertThat(post.url).isEqualTo("https://x.com/" + status.at("/user/screen_name").asText() + "/status/" + idStr);
                // X escapes &, < and > in its text; the lake holds them decoded (issue 18).
                String sent = status.get("text").asText();
                assertThat(post.text).isNotEmpty()
                        .isEqualTo(sent.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
                if (!sent.equals(post.text)) {
                    escaped++;
                }
                assertThat(post.createdAt).isBetween(FROM, TO);
                assertThat(post.ingestedAt).isEqualTo(NOW);
                assertThat(post.authorId).isEqualTo(status.at("/user/id_str").asText());
                assertThat(post.authorHandle).isNotBlank();
                assertThat(post.authorFollowers).isEqualTo(status.at("/user/followers_count").asLong());
                assertThat(post.kind).isIn("post", "reply");
                assertThat(post.kind.equals("reply")).isEqualTo(!status.path("in_reply_to_status_id_str").isNull());
                Set<String> hashtags = new HashSet<>();
                status.at("/entities/hashtags").forEach(h -> hashtags.add(h.get("text").asText()));
                assertThat(post.hashtags).containsExactlyInAnyOrderElementsOf(hashtags);
                assertThat(post.likeCount).isNotNull().isNotNegative();
                assertThat(post.repostCount).isNotNull().isNotNegative();
                assertThat(post.lang).isNotBlank();
                for (String hashtag : post.hashtags) {
                    assertThat(post.text).containsIgnoringCase(hashtag);
                }
                for (String mention : post.mentions) {
                    assertThat(post.text).containsIgnoringCase("@" + mention);
                }
                assertThat((post.geo != null)).isEqualTo(!status.get("coordinates").isNull() || !status.get("place").isNull());
                ids.add(post.postId);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(lines).isEqualTo(2495);
        assertThat(ids).hasSize(lines);
        assertThat(escaped).as("posts whose text had X's escapes").isEqualTo(59);
    }
}
