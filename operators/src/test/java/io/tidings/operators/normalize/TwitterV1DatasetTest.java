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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every one of the 2,495 real X v1.1 statuses of the shared Broad Twitter Corpus sample becomes a
 * post whose fields agree with the status itself. Read from {@code ../../shared/datasets/} (the
 * module directory is the working directory of tests), never copied into the repository.
 */
class TwitterV1DatasetTest {
    static final Path DATASET = Path.of("../../shared/datasets/twitter-v1.1");
    private static final long FROM = RawRecords.millis("2009-01-01T00:00:00Z");
    private static final long TO = RawRecords.millis("2016-01-01T00:00:00Z");

    @Test
    void everyStatusBecomesAPost() throws IOException {
        assertThat(DATASET).as("the shared dataset, relative to the module directory").isDirectory();
        PostNormalizer normalizer = new PostNormalizer();
        ObjectMapper mapper = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> listed = Files.list(DATASET)) {
            files = listed.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int lines = 0;
        Set<String> ids = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
                assertThat(post.text).isNotEmpty().isEqualTo(status.get("text").asText());
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
    }
}
