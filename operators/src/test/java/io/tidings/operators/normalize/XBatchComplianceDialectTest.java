package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.json;
import static io.tidings.operators.normalize.RawRecords.millis;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Result lines of X's batch compliance jobs, shaped as docs.x.com (batch compliance, quick start) shows them. */
class XBatchComplianceDialectTest {
    private final PostNormalizer normalizer = new PostNormalizer();

    private List<NormalizeResult> resultsFile() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/normalize/x-batch-compliance/tweets-results.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> normalizer.normalize(json(line), NOW)).toList();
        }
    }

    @Test
    void aDeleteResultIsADeletionAtItsRedactedAtNotThePostsCreatedAt() throws IOException {
        NormalizeResult deleted = resultsFile().get(0);
        assertThat(deleted.isDeletion()).as(deleted.toString()).isTrue();
        assertThat(deleted.deletedPostId()).isEqualTo("x:1460323737035677698");
        assertThat(deleted.deletedAt()).isEqualTo(millis("2022-03-01T10:11:12Z"));
        assertThat(deleted.reason()).isEqualTo("X batch compliance delete (deleted) of post 1460323737035677698");
    }

    @Test
    void aSuspendedAuthorsPostIsDeletedTooAndWithoutRedactedAtTheTimeOfReadingStandsIn() throws IOException {
        NormalizeResult suspended = resultsFile().get(1);
        assertThat(suspended.isDeletion()).isTrue();
        assertThat(suspended.deletedPostId()).isEqualTo("x:1460323737035677699");
        assertThat(suspended.deletedAt()).isNull();
    }

    @Test
    void aGeoScrubIsSkippedWithTheReasonNotATombstone() throws IOException {
        NormalizeResult scrub = resultsFile().get(2);
        assertThat(scrub.isSkip()).isTrue();
        assertThat(scrub.isDeletion()).isFalse();
        assertThat(scrub.reason()).startsWith("X batch compliance scrub_geo of post 1460323737035677700: not applied");
    }

    @Test
    void aGeoScrubNamedAsTheActionIsSkippedTheSameWay() {
        NormalizeResult scrub = normalizer.normalize(json("{\"id\":\"146\",\"action\":\"scrub_geo\"}"), NOW);
        assertThat(scrub.isSkip()).as(scrub.toString()).isTrue();
        assertThat(scrub.isDeletion()).isFalse();
        assertThat(scrub.kind()).isEqualTo("X batch compliance scrub_geo");
    }

    @Test
    void aRedactedAtThatIsNotATimeStillDeletesThePostAndIsADeadLetterToo() {
        List<NormalizeResult> results = normalizer.normalizeAll(json("{\"id\":\"0146\",\"action\":\"delete\","
                + "\"redacted_at\":\"yesterday\",\"reason\":\"deleted\"}"), NOW);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).isDeletion()).isTrue();
        assertThat(results.get(0).deletedPostId()).as("leading zeros dropped, as X's ids have none").isEqualTo("x:146");
        assertThat(results.get(0).deletedAt()).as("the time of reading stands in").isNull();
        assertThat(results.get(1).isRejected()).isTrue();
        assertThat(results.get(1).reason()).startsWith("X batch compliance delete of post 146: redacted_at")
                .endsWith("; the post is hidden from the time the line was read");
    }

    @Test
    void anUnknownActionOrABadIdIsADeadLetterWithTheReason() {
        NormalizeResult unknown = normalizer.normalize(json("{\"id\":\"1\",\"action\":\"restore\",\"reason\":\"x\"}"), NOW);
        assertThat(unknown.isRejected()).isTrue();
        assertThat(unknown.reason()).isEqualTo("X batch compliance action 'restore' is not one we know");
        NormalizeResult badId = normalizer.normalize(json("{\"id\":[1],\"action\":\"delete\",\"reason\":\"deleted\"}"), NOW);
        assertThat(badId.isRejected()).isTrue();
        assertThat(badId.reason()).startsWith("id is an array");
        NormalizeResult notAnXId = normalizer.normalize(json("{\"id\":\"12ab\",\"action\":\"delete\"}"), NOW);
        assertThat(notAnXId.reason()).isEqualTo("id '12ab' is not an X id (X ids are decimal numbers)");
    }

    @Test
    void aPostWithAnActionFieldIsStillAPost() {
        NormalizeResult post = normalizer.normalize(json("{\"id\":\"1\",\"text\":\"t\",\"action\":\"delete\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\"}"), NOW);
        assertThat(post.isPost()).as(post.toString()).isTrue();
    }
}
