package io.tidings.source.mastodon.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.records.RawRecord;
import io.tidings.source.common.testing.LiveSourceExternalContext;
import io.tidings.source.common.testing.LiveSourceTestSuite;
import io.tidings.source.common.testing.MappedSource;
import io.tidings.source.mastodon.testing.FakeMastodon;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;

/**
 * Flink's connector testing framework for the Mastodon source, against a {@link FakeMastodon}: the
 * statuses the source emits must be those posted, in order, across savepoints, rescaling and a
 * TaskManager failure, exactly once; what is posted while the job is down comes by gap fill through
 * the timeline. Which cases apply to a live source and which cannot (bounded ones), and why: {@link
 * LiveSourceTestSuite}.
 *
 * <p>Statuses written before the source first connects are held until its streaming connection is
 * live ({@link LiveSourceExternalContext}); after that they are posted at once (while the job is down
 * too: the next connection fills the gap).
 */
class MastodonSourceSuiteTest extends LiveSourceTestSuite {

    @TestContext
    final ExternalContextFactory<Context> mastodon = testName -> new Context();

    /** The status a record carries, as text: a streamed {@code update}'s payload, or a timeline status. */
    static String status(RawRecord record) {
        try {
            JsonNode node = new ObjectMapper().readTree(record.bytes);
            return node.has("event") ? node.path("payload").asText() : node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@link FakeMastodon} per case; statuses with ids in the order posted, from now on. */
    static final class Context extends LiveSourceExternalContext {
        private final FakeMastodon server;
        private final AtomicLong nextMillis = new AtomicLong(System.currentTimeMillis() + 1_000);

        Context() {
            try {
                server = new FakeMastodon();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected Source<String, ?, ?> createLiveSource() {
            MastodonSource source = MastodonSource.builder()
                    .server(URI.create(server.uri() + "/"))
                    .timeline(MastodonTimeline.publicTimeline(false))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .build();
            return new MappedSource<>(source, MastodonSourceSuiteTest::status, Types.STRING);
        }

        @Override
        protected void publish(List<String> records) {
            server.publish(records.toArray(new String[0]));
        }

        @Override
        protected boolean listening() {
            return server.liveConnections() > 0;
        }

        /** After its first connection, the source fills the gap of what was posted while it was away. */
        @Override
        protected boolean connectedBefore() {
            return !server.streamingRequests().isEmpty();
        }

        @Override
        public List<String> generateTestData(TestingSourceSettings settings, int splitIndex, long seed) {
            Random random = new Random(seed);
            List<String> statuses = new ArrayList<>();
            int n = 10 + random.nextInt(20);
            for (int i = 0; i < n; i++) {
                statuses.add(FakeMastodon.status(FakeMastodon.idAt(nextMillis.incrementAndGet(), 0), "suite" + splitIndex,
                        "status " + random.nextLong()));
            }
            return statuses;
        }

        @Override
        protected void closeServer() {
            server.close();
        }
    }
}
