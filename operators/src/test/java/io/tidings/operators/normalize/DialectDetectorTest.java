package io.tidings.operators.normalize;

import static io.tidings.operators.normalize.RawRecords.NOW;
import static io.tidings.operators.normalize.RawRecords.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidings.records.Post;
import org.junit.jupiter.api.Test;

/** The same post written in each dialect lands as the right platform, with the same text and time. */
class DialectDetectorTest {
    private static final String TEXT = "Flink 2.3 is out #flink";
    private static final long CREATED = RawRecords.millis("2025-10-01T08:00:00Z");

    private static final String X_V2 = "{\"data\":{\"id\":\"100\",\"text\":\"" + TEXT
            + "\",\"created_at\":\"2025-10-01T08:00:00.000Z\",\"author_id\":\"1\"},"
            + "\"includes\":{\"users\":[{\"id\":\"1\",\"username\":\"flink\",\"name\":\"Apache Flink\"}]},"
            + "\"matching_rules\":[{\"id\":\"9\",\"tag\":\"flink\"}]}";
    private static final String X_V1 = "{\"id\":100,\"id_str\":\"100\",\"text\":\"" + TEXT
            + "\",\"created_at\":\"Wed Oct 01 08:00:00 +0000 2025\",\"truncated\":false,"
            + "\"user\":{\"id_str\":\"1\",\"screen_name\":\"flink\",\"name\":\"Apache Flink\"},"
            + "\"entities\":{\"hashtags\":[{\"text\":\"flink\",\"indices\":[18,24]}],\"user_mentions\":[],\"urls\":[],\"symbols\":[]}}";
    private static final String BLUESKY = "{\"did\":\"did:plc:flink\",\"time_us\":1759305600000000,\"kind\":\"commit\","
            + "\"commit\":{\"rev\":\"r\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3lflink\","
            + "\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"" + TEXT + "\",\"createdAt\":\"2025-10-01T08:00:00.000Z\","
            + "\"langs\":[\"en\"]},\"cid\":\"bafy\"}}";
    private static final String MASTODON = "{\"id\":\"100\",\"created_at\":\"2025-10-01T08:00:00.000Z\","
            + "\"content\":\"<p>Flink 2.3 is out <a href=\\\"https://fosstodon.org/tags/flink\\\" class=\\\"mention hashtag\\\" "
            + "rel=\\\"tag\\\">#<span>flink</span></a></p>\",\"account\":{\"id\":\"1\",\"acct\":\"flink\",\"username\":\"flink\"},"
            + "\"tags\":[{\"name\":\"flink\"}],\"mentions\":[],\"url\":\"https://fosstodon.org/@flink/100\"}";
    /** The same status as a streaming event delivers it: the status JSON encoded as a string. */
    private static final String MASTODON_STREAMING = "{\"stream\":[\"hashtag\",\"flink\"],\"event\":\"update\",\"payload\":"
            + new com.fasterxml.jackson.databind.node.TextNode(MASTODON) + "}";
    private static final String GENERIC = "{\"id\":\"100\",\"text\":\"" + TEXT + "\",\"created_at\":\"2025-10-01T08:00:00Z\"}";

    private final PostNormalizer normalizer = new PostNormalizer();
    private final DialectDetector detector = new DialectDetector();

    @Test
    void samePostInEveryDialect() throws Exception {
        assertLands(X_V2, "x-v2", "x:100");
        assertLands(X_V1, "x-v1.1", "x:100");
        assertLands(BLUESKY, "bluesky-jetstream", "bluesky:did:plc:flink/3lflink");
        assertLands(MASTODON, "mastodon", "mastodon:100");
        assertLands(MASTODON_STREAMING, "mastodon-streaming", "mastodon:100");
        assertLands(GENERIC, "generic", "generic:100");
        assertLands(GENERIC.replace("{\"id\"", "{\"platform\":\"mastodon\",\"id\""), "generic", "mastodon:100");
    }

    @Test
    void unknownShapesSayWhatTheyHave() {
        NormalizeResult result = normalizer.normalize(json("{\"foo\":1,\"bar\":{\"text\":\"x\"}}"), NOW);
        assertThat(result.reason()).isEqualTo("unrecognised record: object with keys [foo, bar]");
    }

    @Test
    void dialectsAreAllDistinct() {
        assertThat(detector.dialects()).extracting(PostDialect::name)
                .containsExactly("bluesky-jetstream", "x-compliance", "x-batch-compliance", "x-v2", "mastodon-streaming",
                        "mastodon", "x-v1.1", "generic");
    }

    @Test
    void normalizerSurvivesJavaSerialization() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(normalizer);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            PostNormalizer copy = (PostNormalizer) in.readObject();
            assertThat(copy.normalize(json(GENERIC), NOW).post().postId).isEqualTo("generic:100");
        }
    }

    private void assertLands(String json, String dialect, String postId) throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(json);
        assertThat(detector.detect(root).name()).as(json).isEqualTo(dialect);
        NormalizeResult result = normalizer.normalize(json(json), NOW);
        assertThat(result.isPost()).as(result.toString()).isTrue();
        Post post = result.post();
        assertThat(post.postId).isEqualTo(postId);
        assertThat(post.platform).isEqualTo(postId.substring(0, postId.indexOf(':')));
        assertThat(post.text).isEqualTo(TEXT);
        assertThat(post.createdAt).isEqualTo(CREATED);
        assertThat(post.hashtags).containsExactly("flink");
        assertThat(post.kind).isEqualTo("post");
    }
}
