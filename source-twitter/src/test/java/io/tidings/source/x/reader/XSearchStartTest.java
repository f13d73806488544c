package io.tidings.source.x.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class XSearchStartTest {
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00.500Z");

    private static Instant startTimeFor(Instant from) {
        return XRecentSearch.startTimeFor(from.toEpochMilli(), NOW.toEpochMilli());
    }

    @Test
    void startTimeIsTheStartWhenXAcceptsIt() {
        Instant anHourAgo = NOW.minus(Duration.ofHours(1));
        assertThat(startTimeFor(anHourAgo)).isEqualTo(anHourAgo);
    }

    @Test
    void startTimeIsAtLeastFifteenSecondsAgoBecauseXRefusesLessThanTen() {
        assertThat(startTimeFor(NOW.minusSeconds(3))).isEqualTo(NOW.minusSeconds(15));
        assertThat(startTimeFor(NOW.plusSeconds(30))).isEqualTo(NOW.minusSeconds(15));
    }

    @Test
    void startTimeStaysWithinTheSevenDaysRecentSearchReaches() {
        assertThat(startTimeFor(NOW.minus(Duration.ofDays(9)))).isEqualTo(NOW.minus(Duration.ofDays(7)).plusSeconds(60));
    }

    @Test
    void queryParametersInXsFormatWholeSeconds() {
        assertThat(XSearchStart.at(NOW).queryParameters()).isEqualTo("&start_time=2026-11-20T10%3A00%3A00Z");
        assertThat(XSearchStart.at(NOW)).hasToString("from 2026-11-20T10:00:00Z");
        assertThat(XSearchStart.after("123").queryParameters()).isEqualTo("&since_id=123");
        assertThat(XSearchStart.newestPageOnly().queryParameters()).isEmpty();
        assertThat(XSearchStart.newestPageOnly().allPages()).isFalse();
        assertThat(XSearchStart.at(NOW).allPages()).isTrue();
    }
}
