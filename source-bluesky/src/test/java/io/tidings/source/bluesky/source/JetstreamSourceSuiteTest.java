package io.tidings.source.bluesky.source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import io.tidings.source.bluesky.testing.FakeJetstream;
import io.tidings.source.common.testing.LiveSourceExternalContext;
import io.tidings.source.common.testing.LiveSourceTestSuite;
import io.tidings.source.common.testing.MappedSource;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;

/**
 * Flink's connector testing framework for the Jetstream source, against a {@link FakeJetstream} that
 * follows its log as Jetstream's live stream does: the source's records (as received) must be the
 * posts published, in order, across savepoints, rescaling and a TaskManager failure, exactly once. Which
 * cases apply to a live source and which cannot (bounded ones), and why: {@link LiveSourceTestSuite}.
 */
class JetstreamSourceSuiteTest extends LiveSourceTestSuite {

    @TestContext
    final ExternalContextFactory<Context> jetstream = testName -> new Context();

    /** A {@link FakeJetstream} per case; posts stamped in order from now on. */
    static final class Context extends LiveSourceExternalContext {
        private final FakeJetstream server;
        private final AtomicLong nextTimeUs = new AtomicLong(System.currentTimeMillis() * 1000);
        private final AtomicLong nextRkey = new AtomicLong();

        Context() {
            try {
                server = new FakeJetstream().following();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        protected Source<String, ?, ?> createLiveSource() {
            JetstreamSource source = JetstreamSource.builder()
                    .endpoints(List.of(server.uri()))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .build();
            return new MappedSource<>(source, r -> new String(r.bytes, StandardCharsets.UTF_8), Types.STRING);
        }

        @Override
        protected void publish(List<String> records) {
            server.publish(records.toArray(new String[0]));
        }

        /** Posts of one author, each with its own record key, stamped after everything before. */
        @Override
        public List<String> generateTestData(TestingSourceSettings settings, int splitIndex, long seed) {
            Random random = new Random(seed);
            List<String> posts = new ArrayList<>();
            int n = 10 + random.nextInt(20);
            for (int i = 0; i < n; i++) {
                posts.add(FakeJetstream.post(nextTimeUs.addAndGet(1_000), "did:plc:suite",
                        "3suite" + splitIndex + "r" + nextRkey.incrementAndGet(), "post " + random.nextLong(), "en"));
            }
            return posts;
        }

        /** A fake Jetstream without a clock serves its whole log to a connection without a cursor. */
        @Override
        protected boolean listening() {
            return true;
        }

        @Override
        protected void closeServer() {
            server.close();
        }
    }
}
