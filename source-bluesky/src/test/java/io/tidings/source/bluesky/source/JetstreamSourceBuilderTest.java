package io.tidings.source.bluesky.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class JetstreamSourceBuilderTest {
    @Test
    void defaultsToTheFourPublicInstancesAndFiveSecondsOfReplay() throws Exception {
        JetstreamSource source = JetstreamSource.builder().build();
        JetstreamSourceConfig c = source.config();
        assertThat(c.endpoints()).extracting(URI::toString).containsExactly(
                "wss://jetstream1.us-east.bsky.network/subscribe",
                "wss://jetstream2.us-east.bsky.network/subscribe",
                "wss://jetstream1.us-west.bsky.network/subscribe",
                "wss://jetstream2.us-west.bsky.network/subscribe");
        assertThat(c.replayMicros()).isEqualTo(5_000_000L);
        assertThat(c.stallTimeoutMs()).isEqualTo(30_000L);
        assertThat(c.initialBackoffMs()).isEqualTo(1_000L);
        assertThat(c.maxBackoffMs()).isEqualTo(60_000L);
        assertThat(c.keywords()).isEmpty();
        // the source travels in the job graph
        JetstreamSource copy = InstantiationUtil.clone(source);
        assertThat(copy.config().endpoints()).isEqualTo(c.endpoints());
    }

    @Test
    void keepsKeywordsLanguagesAndAuthors() {
        JetstreamSourceConfig c = JetstreamSource.builder()
                .keywords(Map.of("streaming", List.of(" flink ", "apache kafka")))
                .languages(Set.of("EN", "pt-BR"))
                .authors(Set.of("did:plc:alice2kzc6l7uv3mk3wpqsgzn"))
                .build().config();
        assertThat(c.keywords()).containsEntry("streaming", List.of("flink", "apache kafka"));
        assertThat(c.languages()).containsExactlyInAnyOrder("en", "pt-br");
        assertThat(c.authors()).containsExactly("did:plc:alice2kzc6l7uv3mk3wpqsgzn");
    }

    @Test
    void buildListsEveryProblem() {
        assertThatThrownBy(() -> JetstreamSource.builder()
                .endpoints(List.of(URI.create("https://jetstream1.us-east.bsky.network/subscribe"),
                        URI.create("wss://x.example/subscribe?cursor=1")))
                .keywords(Map.of("empty", List.of(), "blank", List.of(" ")))
                .languages(Set.of(" "))
                .authors(Set.of("alice.bsky.social"))
                .stallTimeout(Duration.ZERO)
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                .clock(null)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws:// or wss://")
                .hasMessageContaining("has a query")
                .hasMessageContaining("'empty' has no terms")
                .hasMessageContaining("'blank' has a blank term")
                .hasMessageContaining("a language is blank")
                .hasMessageContaining("'alice.bsky.social' is not a DID")
                .hasMessageContaining("stallTimeout must be positive")
                .hasMessageContaining("longer than max backoff")
                .hasMessageContaining("clock must not be null");
        assertThatThrownBy(() -> JetstreamSource.builder().endpoints(List.of()).build())
                .hasMessageContaining("no endpoints");
    }
}
