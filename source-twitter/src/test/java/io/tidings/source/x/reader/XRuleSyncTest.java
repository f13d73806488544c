package io.tidings.source.x.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.testing.FakeXServer;
import org.junit.jupiter.api.Test;

class XRuleSyncTest {
    @Test
    void deletesStaleRulesAndAddsMissingOnesAfterADryRun() throws Exception {
        try (FakeXServer server = new FakeXServer()) {
            server.holdsRule("1", "old rule", "old").holdsRule("2", "cats", "cats").holdsRule("3", "dogs", "wrongtag");
            XRuleSync sync = new XRuleSync(new XApiClient(server.uri(), FakeXServer.TOKEN, Duration.ofSeconds(5)),
                    new ObjectMapper());
            XRuleSync.Result result = sync.sync(List.of(XRule.of("cats", "cats"), XRule.of("dogs", "dogs"),
                    XRule.of("birds lang:en", "birds")));
            assertThat(result.kept()).isEqualTo(1);
            assertThat(result.deletedIds()).containsExactly("1", "3");
            assertThat(result.added()).extracting(XRule::tag).containsExactly("dogs", "birds");
            assertThat(server.requests()).containsExactly(
                    "GET /2/tweets/search/stream/rules",
                    "POST /2/tweets/search/stream/rules?dry_run=true "
                            + "{\"add\":[{\"value\":\"dogs\",\"tag\":\"dogs\"},{\"value\":\"birds lang:en\",\"tag\":\"birds\"}]}",
                    "POST /2/tweets/search/stream/rules {\"delete\":{\"ids\":[\"1\",\"3\"]}}",
                    "POST /2/tweets/search/stream/rules "
                            + "{\"add\":[{\"value\":\"dogs\",\"tag\":\"dogs\"},{\"value\":\"birds lang:en\",\"tag\":\"birds\"}]}");
            assertThat(server.rulesByValue()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("cats", "cats", "dogs", "dogs", "birds lang:en", "birds"));

            // a second sync finds nothing to do
            XRuleSync.Result again = sync.sync(List.of(XRule.of("cats", "cats"), XRule.of("dogs", "dogs"),
                    XRule.of("birds lang:en", "birds")));
            assertThat(again.kept()).isEqualTo(3);
            assertThat(again.deletedIds()).isEmpty();
            assertThat(again.added()).isEmpty();
        }
    }
}
