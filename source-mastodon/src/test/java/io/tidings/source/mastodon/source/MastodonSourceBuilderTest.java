package io.tidings.source.mastodon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.common.SecretToken;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MastodonSourceBuilderTest {
    @Test
    void derivesTheStreamingUrlAndTheTimelineFromTheServer() {
        MastodonSourceConfig config = MastodonSource.builder().server(URI.create("https://mastodon.social/"))
                .timeline(MastodonTimeline.hashtag("#Flink", true)).build().config();
        assertThat(config.server()).isEqualTo(URI.create("https://mastodon.social"));
        assertThat(config.streamingUrl()).isEqualTo(URI.create("wss://mastodon.social/api/v1/streaming"));
        assertThat(config.timeline().streamQuery()).isEqualTo("stream=hashtag:local&tag=Flink");
        assertThat(config.timeline().timelinePath()).isEqualTo("/api/v1/timelines/tag/Flink?local=true");
        assertThat(config.accessToken()).isEmpty();

        MastodonSourceConfig list = MastodonSource.builder().server(URI.create("http://127.0.0.1:3000"))
                .streamingUrl(URI.create("wss://streaming.example"))
                .timeline(MastodonTimeline.list("42")).accessToken(SecretToken.of("t")).build().config();
        assertThat(list.streamingUrl()).isEqualTo(URI.create("wss://streaming.example/api/v1/streaming"));
        assertThat(list.timeline().streamQuery()).isEqualTo("stream=list&list=42");
        assertThat(list.timeline().timelinePath()).isEqualTo("/api/v1/timelines/list/42");
        assertThat(list.accessToken().orElseThrow().describe()).isEqualTo("access token given in code (****)");
        assertThat(list.toString()).doesNotContain("=t,").contains("****");

        assertThat(MastodonTimeline.publicTimeline(false).streamQuery()).isEqualTo("stream=public");
        assertThat(MastodonTimeline.publicTimeline(true).timelinePath()).isEqualTo("/api/v1/timelines/public?local=true");
        assertThat(MastodonTimeline.hashtag("café", false).streamQuery()).isEqualTo("stream=hashtag&tag=caf%C3%A9");
    }

    @Test
    void refusesWhatAServerWouldRefuseWithEveryProblemListed() {
        assertThatThrownBy(() -> MastodonSource.builder().build()).hasMessageContaining("no server");
        assertThatThrownBy(() -> MastodonSource.builder().server(URI.create("wss://mastodon.social"))
                .timeline(MastodonTimeline.hashtag("two words", false)).pageLimit(41)
                .stallTimeout(Duration.ZERO).backoff(Duration.ofSeconds(9), Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server must be an http(s):// URL")
                .hasMessageContaining("hashtag 'two words' is not a hashtag")
                .hasMessageContaining("page limit must be 1 to 40, got 41")
                .hasMessageContaining("stallTimeout must be positive")
                .hasMessageContaining("initial backoff PT9S is longer than max backoff PT2S");
        assertThatThrownBy(() -> MastodonSource.builder().server(URI.create("https://mastodon.social/api/v1"))
                .build()).hasMessageContaining("has a path");
        assertThatThrownBy(() -> MastodonSource.builder().server(URI.create("https://mastodon.social"))
                .timeline(MastodonTimeline.list("42")).build()).hasMessageContaining("needs the owner's access token");
        assertThatThrownBy(() -> MastodonSource.builder().server(URI.create("https://mastodon.social"))
                .timeline(MastodonTimeline.list("my-list")).accessToken(SecretToken.of("t")).build())
                .hasMessageContaining("is not a Mastodon list id");
    }
}
