package io.tidings.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    // X's documented steps (docs.x.com, fundamentals/handling-disconnections), as the X source sets them.
    private static final Backoff.Policy NETWORK = Backoff.Policy.linear("network errors", 250, 16_000);
    private static final Backoff.Policy HTTP = Backoff.Policy.exponential("HTTP errors", 5_000, 320_000);
    private static final Backoff.Policy RATE_LIMIT = Backoff.Policy.exponential("HTTP 429", 60_000, 960_000)
            .asRateLimit();

    private static List<Long> waits(Backoff backoff, Backoff.Policy policy, int n) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(backoff.next(policy, "test"));
        }
        return waits;
    }

    @Test
    void linearStepsAdd250MsUpTo16Seconds() {
        Backoff backoff = new Backoff("test");
        List<Long> waits = waits(backoff, NETWORK, 70);
        assertThat(waits.subList(0, 4)).containsExactly(250L, 500L, 750L, 1_000L);
        assertThat(waits.get(62)).isEqualTo(15_750L);
        assertThat(backoff.atMaximum()).isTrue();
        assertThat(waits.subList(63, 70)).containsOnly(16_000L);
        assertThat(waits.indexOf(16_000L)).as("64 × 250 ms").isEqualTo(63);
    }

    @Test
    void exponentialStepsDoubleUpToTheirCap() {
        Backoff backoff = new Backoff("test");
        assertThat(waits(backoff, HTTP, 9)).containsExactly(5_000L, 10_000L, 20_000L, 40_000L, 80_000L, 160_000L,
                320_000L, 320_000L, 320_000L);
        assertThat(waits(new Backoff("test"), RATE_LIMIT, 6)).containsExactly(60_000L, 120_000L, 240_000L,
                480_000L, 960_000L, 960_000L);
        // a cap that is not a doubling of the first step: the last step is cut to it
        assertThat(waits(new Backoff("test"), Backoff.Policy.exponential("f", 1_000, 60_000), 8))
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L);
    }

    @Test
    void atMaximumSaysWhetherTheLastWaitWasItsPolicysCap() {
        Backoff backoff = new Backoff("test");
        backoff.next(HTTP, "test");
        assertThat(backoff.atMaximum()).isFalse();
        waits(backoff, HTTP, 6);
        assertThat(backoff.atMaximum()).isTrue();
        backoff.next(NETWORK, "test");
        assertThat(backoff.atMaximum()).as("the network policy is at its first step").isFalse();
    }

    @Test
    void eachPolicyCountsItsOwnAttempts() {
        Backoff backoff = new Backoff("test");
        assertThat(backoff.next(HTTP, "test")).isEqualTo(5_000L);
        assertThat(backoff.next(NETWORK, "test")).isEqualTo(250L);
        assertThat(backoff.next(HTTP, "test")).isEqualTo(10_000L);
        assertThat(backoff.next(RATE_LIMIT, "test")).isEqualTo(60_000L);
        assertThat(backoff.next(NETWORK, "test")).isEqualTo(500L);
        assertThat(backoff.next(HTTP, "test")).isEqualTo(20_000L);
    }

    @Test
    void resetStartsEveryPolicyOver() {
        Backoff backoff = new Backoff("test");
        waits(backoff, HTTP, 10);
        waits(backoff, NETWORK, 3);
        waits(backoff, RATE_LIMIT, 2);
        backoff.reset();
        assertThat(backoff.atMaximum()).isFalse();
        assertThat(backoff.next(HTTP, "test")).isEqualTo(5_000L);
        assertThat(backoff.next(NETWORK, "test")).isEqualTo(250L);
        assertThat(backoff.next(RATE_LIMIT, "test")).isEqualTo(60_000L);
    }

    @Test
    void aRateLimitPolicyHasTheSameStepsAndSaysSo() {
        Backoff.Policy plain = Backoff.Policy.exponential("HTTP 429", 60_000, 960_000);
        assertThat(plain.rateLimit()).isFalse();
        assertThat(RATE_LIMIT.rateLimit()).isTrue();
        for (int attempt = 1; attempt <= 8; attempt++) {
            assertThat(RATE_LIMIT.step(attempt)).isEqualTo(plain.step(attempt));
        }
    }

    @Test
    void aPolicyWithoutAPositiveFirstStepOrWithACapBelowItIsRefused() {
        assertThatThrownBy(() -> Backoff.Policy.exponential("failure", 0, 1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 0 < first <= max");
        assertThatThrownBy(() -> Backoff.Policy.linear("failure", 2_000, 1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first 2000 ms, max 1000 ms");
    }
}
