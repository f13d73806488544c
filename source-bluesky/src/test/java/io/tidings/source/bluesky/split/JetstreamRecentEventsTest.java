package io.tidings.source.bluesky.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JetstreamRecentEventsTest {
    private static JetstreamEventId id(String rkey) {
        return new JetstreamEventId("did:plc:x", "app.bsky.feed.post", rkey, "3l3qo2vutsw2b");
    }

    @Test
    void remembersByIdentityWhateverTheTimeAndForgetsWhatNoReplayReaches() {
        JetstreamRecentEvents recent = new JetstreamRecentEvents(JetstreamRecentEvents.keepMicrosFor(5), Map.of(id("a"), 100L));
        assertThat(recent.contains(id("a"))).isTrue();
        assertThat(recent.contains(new JetstreamEventId("did:plc:x", "app.bsky.feed.post", "a", "another rev"))).isFalse();
        recent.add(id("b"), 105);
        recent.add(id("c"), 103); // another instance's stamp, older
        recent.forgetBefore(110);  // keeps time_us >= 100
        assertThat(recent.toMap()).containsOnlyKeys(id("a"), id("b"), id("c"));
        recent.forgetBefore(111);  // a goes; b stops the sweep, so c (older, emitted after b) waits
        assertThat(recent.toMap()).containsOnlyKeys(id("b"), id("c"));
        recent.forgetBefore(116);
        assertThat(recent.size()).isZero();
    }

    @Test
    void keepsTwiceTheReplayWindow() {
        assertThat(JetstreamRecentEvents.keepMicrosFor(5_000_000)).isEqualTo(10_000_000);
    }
}
