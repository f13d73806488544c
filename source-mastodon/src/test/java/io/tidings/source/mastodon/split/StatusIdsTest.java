package io.tidings.source.mastodon.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusIdsTest {
    @Test
    void comparesAsNumbersLengthFirst() {
        List<String> ids = new ArrayList<>(List.of("110000000000000010", "99", "110000000000000009", "18446744073709551615",
                "7"));
        ids.sort(StatusIds.ORDER);
        assertThat(ids).containsExactly("7", "99", "110000000000000009", "110000000000000010", "18446744073709551615");
        assertThat(StatusIds.max("", "5")).isEqualTo("5");
        assertThat(StatusIds.max("10", "9")).isEqualTo("10");
    }

    @Test
    void knowsAStatusIdWhenItSeesOne() {
        assertThat(StatusIds.isStatusId("115605504065863680")).isTrue();
        assertThat(StatusIds.isStatusId("1")).isTrue();
        for (String notAnId : new String[] {null, "", "012", "12a", "-5", "1.0", "123456789012345678901", " 12"}) {
            assertThat(StatusIds.isStatusId(notAnId)).as(String.valueOf(notAnId)).isFalse();
        }
    }

    @Test
    void anIdAtATimeIsTheSmallestIdOfThatMillisecond() {
        // Mastodon: id = ms since the epoch << 16 | sequence
        assertThat(StatusIds.atMillis(1_764_000_000_000L)).isEqualTo(Long.toString(1_764_000_000_000L << 16));
        assertThat(StatusIds.compare(StatusIds.atMillis(1_764_000_000_001L), Long.toString((1_764_000_000_000L << 16) + 65_535)))
                .isPositive();
    }
}
