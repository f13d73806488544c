package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.records.Post;
import io.tidings.source.bluesky.testing.FakeJetstream;
import io.tidings.source.mastodon.testing.FakeMastodon;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.testing.FakeXServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with the REAL X, Bluesky and Mastodon sources, against the sources' own fake servers
 * ({@link FakeXServer}, {@link FakeJetstream}, {@link FakeMastodon}), into a local lake. These jobs never end by
 * themselves: each test runs one until the lake holds what it should, then cancels it.
 */
class SourcesIntoLakeTest {
    private static final Duration LAKE_TIMEOUT = Duration.ofSeconds(90);
    private static final long FIRST_ID = 1_861_234_570_000L;

    @TempDir
    Path dir;

    private JobSettings.Builder settings() {
        JobSettings.Builder settings = JobSettings.builder();
        settings.lake(dir.resolve("lake").toString());
        settings.checkpointDir(dir.resolve("checkpoints").toString());
        settings.checkpointInterval(Duration.ofSeconds(1));
        settings.parallelism(2);
        return settings;
    }

    private JobSettings.Builder xSettings(FakeXServer server) throws Exception {
        Path token = Files.writeString(dir.resolve("x-token"), FakeXServer.TOKEN);
        JobSettings.Builder settings = settings();
        settings.xRules(List.of(XRule.of("acme OR #acme", "acme")));
        settings.xBearerToken("file:" + token.toAbsolutePath());
        settings.xApiBase(server.uri().toString());
        return settings;
    }

    private static List<String> tweets(int n) {
        List<String> tweets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tweets.add(FakeXServer.tweet(String.valueOf(FIRST_ID + i),
                    "Acme Corp ships widget number " + i + " to customers in Paris, and they love it", "acme"));
        }
        return tweets;
    }

    private static Set<String> xIds(int n) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add("x:" + (FIRST_ID + i));
        }
        return ids;
    }

    @Test
    void xStreamPostsLandWithTheirRulesAndAuthors() throws Exception {
        int n = 100;
        try (FakeXServer server = new FakeXServer()) {
            FakeXServer.StreamScript stream = server.nextStream().keepAlive();
            tweets(n).forEach(stream::line);
            stream.thenHang();
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(xSettings(server).build(), null), UnaryOperator.identity(),
                    () -> postIds(lake).size() >= n);

            List<String> ids = LakeContents.postIds(lake);
            assertThat(ids).hasSize(n);
            assertThat(new HashSet<>(ids)).isEqualTo(xIds(n));
            List<List<Object>> rows = LakeContents.rows(lake, "posts", "SELECT native_id, platform, author_id,"
                    + " author_handle, author_name, list_contains(matched_rules, 'acme'), len(matched_rules) FROM {posts}");
            for (List<Object> row : rows) {
                String id = (String) row.get(0);
                assertThat(row.subList(1, 7)).containsExactly("x", "u" + id, "user" + id, "User " + id, true, 1L);
            }
            assertThat(server.rulesByValue()).containsExactly(Map.entry("acme OR #acme", "acme"));
        }
    }

    @Test
    void anXComplianceDeleteTakesThePostOutOfThePostsView() throws Exception {
        int n = 40;
        String deletedId = String.valueOf(FIRST_ID + 7);
        String deleted = "x:" + deletedId;
        try (FakeXServer server = new FakeXServer()) {
            FakeXServer.StreamScript stream = server.nextStream().keepAlive();
            tweets(n).forEach(stream::line);
            stream.thenHang();
            // The delete comes on partition 3 a little later, as a real deletion would; the other
            // partitions only send keep-alives.
            server.nextComplianceStream(3).keepAlive().pause(1_500)
                    .line(FakeXServer.complianceDelete(deletedId, "u" + deletedId, "2026-11-20T10:05:00.000Z")).thenHang();
            JobSettings.Builder settings = xSettings(server);
            settings.xCompliance(true);
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(settings.build(), null), UnaryOperator.identity(),
                    () -> postIds(lake).size() >= n && tombstoneIds(lake).contains(deleted));

            assertThat(new HashSet<>(LakeContents.postIds(lake))).isEqualTo(xIds(n));
            List<List<Object>> tombstones = LakeContents.rows(lake, "tombstones",
                    "SELECT post_id, platform, source, epoch_ms(deleted_at) FROM {tombstones}");
            assertThat(tombstones).containsExactly(
                    List.of(deleted, "x", "x-compliance", java.time.Instant.parse("2026-11-20T10:05:00Z").toEpochMilli()));
            try (LocalLake local = LocalLake.open(lake)) {
                assertThat(local.query("select count(*) from posts", 1).rows().get(0).get(0)).isEqualTo((long) n - 1);
                assertThat(local.query("select count(*) from posts where post_id = '" + deleted + "'", 1)
                        .rows().get(0).get(0)).isEqualTo(0L);
                assertThat(local.query("select count(*) from posts_all", 1).rows().get(0).get(0)).isEqualTo((long) n);
            }
            assertThat(server.complianceRequests()).hasSizeGreaterThanOrEqualTo(4)
                    .allMatch(r -> r.startsWith("/2/tweets/compliance/stream?partition="));
        }
    }

    @Test
    void blueskyPostsLandAndADeleteHidesOne() throws Exception {
        int n = 60;
        long t0 = 1_725_911_162_000_000L;
        String did = "did:plc:alice2kzc6l7uv3mk3wpqsgzn";
        try (FakeJetstream jetstream = new FakeJetstream()) {
            for (int i = 0; i < n; i++) {
                jetstream.publish(FakeJetstream.post(t0 + i * 1_000L, did, "3kggg0000" + (100 + i),
                        "Barack Obama visited London today, post " + i, "en"));
            }
            String deletedRkey = "3kggg0000" + (100 + n / 2);
            jetstream.publish(FakeJetstream.delete(t0 + n * 1_000L, did, deletedRkey));
            String deleted = "bluesky:" + did + "/" + deletedRkey;
            JobSettings.Builder settings = settings();
            settings.bluesky(true);
            settings.blueskyEndpoints(List.of(jetstream.uri().toString()));
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(settings.build(), null), UnaryOperator.identity(),
                    () -> postIds(lake).size() >= n && tombstoneIds(lake).contains(deleted));

            assertThat(new HashSet<>(LakeContents.postIds(lake))).hasSize(n).contains(deleted);
            assertThat(tombstoneIds(lake)).containsExactly(deleted);
            try (LocalLake local = LocalLake.open(lake)) {
                assertThat(local.query("select count(*) from posts", 1).rows().get(0).get(0)).isEqualTo((long) n - 1);
                assertThat(local.query("select count(*) from posts where post_id = '" + deleted + "'", 1)
                        .rows().get(0).get(0)).isEqualTo(0L);
                assertThat(local.query("select count(*) from posts_all", 1).rows().get(0).get(0)).isEqualTo((long) n);
            }
        }
    }

    @Test
    void aBlueskyRunShowsItsConnectionOnOneProgressLineAndStopsCleanly() throws Exception {
        int n = 30;
        long t0 = 1_725_911_162_000_000L;
        try (FakeJetstream jetstream = new FakeJetstream()) {
            for (int i = 0; i < n; i++) {
                jetstream.publish(FakeJetstream.post(t0 + i * 1_000L, "did:plc:bob", "3kgh0000" + (100 + i),
                        "Progress line post " + i, "en"));
            }
            JobSettings.Builder settings = settings();
            settings.bluesky(true);
            settings.blueskyEndpoints(List.of(jetstream.uri().toString()));
            Path lake = dir.resolve("lake");
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            LocalRunner runner = new LocalRunner(settings.build(), new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));

            var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            while (postIds(lake).size() < n && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(200);
            }
            // In a log, counts that changed are written again after ten seconds at the latest.
            String expected = "30 read · 30 posts · 0 dead letters · bluesky: receiving, newest";
            while (!printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains(expected)
                    && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(200);
            }
            runner.stop();
            LocalRunner.Summary summary = run.get(3, java.util.concurrent.TimeUnit.MINUTES);

            assertThat(summary.stopped()).isTrue();
            assertThat(summary.written()).isEqualTo(n);
            assertThat(LakeContents.postIds(lake)).hasSize(n);
            String progress = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(progress).contains(expected).contains("stopping: taking a savepoint");
            // Not a terminal: a line only when something changed, so the same counts never repeat back to back.
            List<String> lines = progress.lines().map(l -> l.replaceAll(" · \\d+ s$", "")).toList();
            for (int i = 1; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("line %d repeats line %d", i, i - 1).isNotEqualTo(lines.get(i - 1));
            }
        }
    }

    /**
     * Fails the job once, at the first post from the {@code failAt}-th on (after de-duplication) by
     * which a checkpoint has committed posts to the lake, so that the job restores from a checkpoint
     * that holds a stream position and de-duplication state.
     */
    static final class FailOnce implements MapFunction<Post, Post> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong SEEN = new AtomicLong();
        static volatile long failAt;
        static volatile Path lake;

        @Override
        public Post map(Post post) {
            if (SEEN.incrementAndGet() >= failAt && !FAILED.get() && hasFiles(lake.resolve("posts"))
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at post " + post.postId);
            }
            return post;
        }
    }

    @Test
    void aFailureMidStreamRestoresAndTheLakeHoldsEachServedPostOnce() throws Exception {
        int n = 150;
        List<String> tweets = tweets(n);
        FailOnce.FAILED.set(false);
        FailOnce.SEEN.set(0);
        FailOnce.failAt = n / 3;
        FailOnce.lake = dir.resolve("lake");
        try (FakeXServer server = new FakeXServer()) {
            // The first connection trickles the posts over several checkpoints; the job fails part way.
            FakeXServer.StreamScript first = server.nextStream().keepAlive();
            for (String t : tweets) {
                first.line(t).pause(40);
            }
            first.thenHang();
            // The reconnect after the restore: the stream delivers the posts again (as a replay or a gap
            // fill would), some of them already in the lake; de-duplication keeps each once.
            FakeXServer.StreamScript second = server.nextStream().keepAlive();
            tweets.forEach(second::line);
            second.thenHang();
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(xSettings(server).build(), null),
                    stream -> stream.map(new FailOnce()).uid("fail-once").name("fail once"),
                    () -> postIds(lake).size() >= n);

            assertThat(FailOnce.FAILED).isTrue();
            assertThat(server.streamConnections()).isGreaterThanOrEqualTo(2);
            List<String> ids = LakeContents.postIds(lake);
            assertThat(ids).hasSize(n);
            assertThat(new HashSet<>(ids)).isEqualTo(xIds(n));
        }
    }

    /**
     * The Bluesky twin of the X test above: the real Jetstream source, a failure after a checkpoint
     * has committed posts, a restore. The restored reader resubscribes with the checkpointed cursor
     * (minus the replay window) and the fake serves the log from there, so posts emitted after the
     * checkpoint come again; the lake must still hold every post once, and the delete that arrives
     * after the restore must still become a tombstone.
     */
    @Test
    void aBlueskyFailureMidStreamRestoresFromTheCursorAndTheLakeHoldsEachPostOnce() throws Exception {
        int n = 150;
        // A second between events: the replay window (5 s) then covers only a few events before the
        // checkpointed cursor, so a restore without a cursor would show as a replay of the whole log.
        long t0 = 1_725_911_162_000_000L;
        long step = 1_000_000L;
        String did = "did:plc:bob5kzc6l7uv3mk3wpqsgzn";
        FailOnce.FAILED.set(false);
        FailOnce.SEEN.set(0);
        FailOnce.failAt = n / 3;
        FailOnce.lake = dir.resolve("lake");
        try (FakeJetstream jetstream = new FakeJetstream()) {
            List<String> events = new ArrayList<>();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                String rkey = "3kbbb0000" + (100 + i);
                events.add(FakeJetstream.post(t0 + i * step, did, rkey,
                        "Angela Merkel spoke in Berlin today, post " + i, "en"));
                expected.add("bluesky:" + did + "/" + rkey);
            }
            String deletedRkey = "3kbbb0000" + (100 + n / 2);
            events.add(FakeJetstream.delete(t0 + n * step, did, deletedRkey));
            String deleted = "bluesky:" + did + "/" + deletedRkey;
            jetstream.publish(events.toArray(new String[0]));
            // The first connection trickles the events over many checkpoints, slower after the first
            // third, so that a checkpoint commits posts before the stream runs dry even on a busy
            // machine; the job fails part way. Later connections have no script: they replay the log
            // from the cursor asked for, all at once.
            FakeJetstream.Script first = jetstream.nextConnection();
            for (int i = 0; i < events.size(); i++) {
                first.send(events.get(i)).pause(i < n / 3 ? 40 : 300);
            }
            first.thenHang();
            JobSettings.Builder settings = settings();
            settings.bluesky(true);
            settings.blueskyEndpoints(List.of(jetstream.uri().toString()));
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(settings.build(), null),
                    stream -> stream.map(new FailOnce()).uid("fail-once").name("fail once"),
                    () -> postIds(lake).size() >= n && tombstoneIds(lake).contains(deleted));

            assertThat(FailOnce.FAILED).isTrue();
            List<Long> cursors = jetstream.cursors();
            assertThat(cursors).hasSizeGreaterThanOrEqualTo(2);
            assertThat(cursors.get(0)).as("a fresh job subscribes live").isEqualTo(-1L);
            assertThat(cursors.get(1)).as("the restored job resubscribes from its checkpointed cursor")
                    .isGreaterThanOrEqualTo(t0 - 5_000_000L);
            List<String> ids = LakeContents.postIds(lake);
            assertThat(ids).hasSize(n);
            assertThat(new HashSet<>(ids)).isEqualTo(expected);
            assertThat(tombstoneIds(lake)).containsExactly(deleted);
            try (LocalLake local = LocalLake.open(lake)) {
                assertThat(local.query("select count(*) from posts", 1).rows().get(0).get(0)).isEqualTo((long) n - 1);
            }
        }
    }

    private JobSettings.Builder mastodonSettings(FakeMastodon server) {
        JobSettings.Builder settings = settings();
        settings.mastodonServer(server.uri().toString());
        settings.mastodonHashtag("flink");
        return settings;
    }

    /** Statuses created one millisecond apart from {@code t0}, as the fake server's timeline holds them. */
    private static List<String> statuses(long t0, int n) {
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(FakeMastodon.status(FakeMastodon.idAt(t0 + i, 0), i % 2 == 0 ? "alice" : "bob@other.example",
                    "Angela Merkel spoke about Apache Flink in Berlin, status " + i, "flink"));
        }
        return statuses;
    }

    private static Set<String> mastodonIds(List<String> statuses) {
        Set<String> ids = new HashSet<>();
        statuses.forEach(s -> ids.add("mastodon:" + FakeMastodon.idOf(s)));
        return ids;
    }

    @Test
    void mastodonStatusesLandADeleteHidesOneAnEditIsTheNewestVersionAndAGarbageFrameIsADeadLetter() throws Exception {
        int n = 60;
        List<String> statuses = statuses(System.currentTimeMillis() - 60_000, n);
        String deletedId = FakeMastodon.idOf(statuses.get(n / 2));
        String deleted = "mastodon:" + deletedId;
        // Issue 18: an edit of status 1 (status.update, with edited_at), delivered twice.
        String editedId = FakeMastodon.idOf(statuses.get(1));
        java.time.Instant editedAt = java.time.Instant.ofEpochMilli(Long.parseLong(editedId) >>> 16).plusSeconds(30)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String edit = FakeMastodon.edited(statuses.get(1), editedAt.toString(),
                "Angela Merkel met Barack Obama in London today and they talked about the weather for an hour");
        try (FakeMastodon server = new FakeMastodon()) {
            FakeMastodon.Script stream = server.nextConnection();
            statuses.forEach(stream::post);
            stream.send(FakeMastodon.statusUpdate(edit)).send(FakeMastodon.statusUpdate(edit));
            stream.send(FakeMastodon.event("update", "{\"id\":\"1\",\"content\":")).send(FakeMastodon.delete(deletedId))
                    .thenHang();
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(mastodonSettings(server).build(), null), UnaryOperator.identity(),
                    () -> postIds(lake).size() >= n + 1 && tombstoneIds(lake).contains(deleted));

            assertThat(new HashSet<>(LakeContents.postIds(lake))).hasSize(n).isEqualTo(mastodonIds(statuses));
            assertThat(LakeContents.postIds(lake)).as("the edit is a second version, once").hasSize(n + 1);
            List<List<Object>> rows = LakeContents.rows(lake, "posts", "SELECT platform, "
                    + "list_contains(hashtags, 'flink'), list_contains(matched_rules, '#flink') FROM {posts}");
            assertThat(rows).hasSize(n + 1).allSatisfy(row -> assertThat(row).containsExactly("mastodon", true, true));
            assertThat(LakeContents.rows(lake, "posts", "SELECT DISTINCT author_handle FROM {posts} ORDER BY 1"))
                    .containsExactly(List.of("alice"), List.of("bob@other.example"));
            assertThat(tombstoneIds(lake)).containsExactly(deleted);
            try (LocalLake local = LocalLake.open(lake)) {
                assertThat(local.query("select count(*) from posts", 1).rows().get(0).get(0)).isEqualTo((long) n - 1);
                assertThat(local.query("select text, CAST(edited_at AS VARCHAR) from posts where post_id = 'mastodon:" + editedId + "'", 5)
                        .rows()).containsExactly(List.of("Angela Merkel met Barack Obama in London today and they talked about the weather for an hour",
                                editedAt.toString().replace('T', ' ').replace("Z", "")));
                assertThat(local.query("select count(*) from posts_all where post_id = 'mastodon:" + editedId + "'", 1).rows())
                        .containsExactly(List.of(2L));
                // The live mentions are exactly the edit's (PlatformPayloadsTest checks which the model finds).
                String mentions = "select text, char_start, CAST(edited_at AS VARCHAR) from %s where post_id = 'mastodon:" + editedId
                        + "' %s order by char_start, text";
                assertThat(local.query(mentions.formatted("entities", ""), 20).rows()).isNotEmpty().isEqualTo(local.query(
                        mentions.formatted("entities_all", "and edited_at IS NOT NULL"), 20).rows());
            }
            assertThat(TidingsJobTest.deadLetters(lake)).singleElement().satisfies(letter -> {
                assertThat(letter.path("source").asText()).isEqualTo("mastodon:" + server.authority());
                assertThat(letter.path("reason").asText()).startsWith("Mastodon update payload: invalid JSON");
            });
            assertThat(server.timelineRequests()).as("a fresh job follows the stream live").isEmpty();
        }
    }

    /**
     * A text frame that is not UTF-8 (RFC 6455 says: fail the connection, 1007): its exact bytes become
     * a dead letter with the normalizer's reason before the source reconnects, and the status it
     * carried still lands, from the gap fill.
     */
    @Test
    void aMastodonFrameThatIsNotUtf8IsADeadLetterWithItsExactBytesAndItsStatusStillLands() throws Exception {
        List<String> statuses = statuses(System.currentTimeMillis() - 60_000, 3);
        String update = FakeMastodon.update(statuses.get(1));
        byte[] bad = update.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = update.indexOf("Angela"); // ASCII before it
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(statuses.get(1));
            server.nextConnection().post(statuses.get(0)).sendRaw(bad).thenHang();
            server.nextConnection().post(statuses.get(2)).thenLive();
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(mastodonSettings(server).build(), null), UnaryOperator.identity(),
                    () -> postIds(lake).size() >= 3 && !TidingsJobTest.deadLetters(lake).isEmpty());

            assertThat(new HashSet<>(LakeContents.postIds(lake))).isEqualTo(mastodonIds(statuses));
            assertThat(TidingsJobTest.deadLetters(lake)).singleElement().satisfies(letter -> {
                assertThat(letter.path("source").asText()).isEqualTo("mastodon:" + server.authority());
                assertThat(letter.path("position").asText()).isEqualTo("connection 1 message 2");
                assertThat(letter.path("reason").asText()).isEqualTo("invalid UTF-8 at byte " + at);
                assertThat(java.util.Base64.getDecoder().decode(letter.path("raw_base64").asText())).isEqualTo(bad);
            });
            assertThat(server.closeCodes()).containsExactly(1007);
        }
    }

    /**
     * A 429 on the handshake: the progress line says until when the source waits for the rate limit
     * and why (not "reconnecting in N s", which reads as a network problem), from the source's own gauges
     * through the metric reporter; a stop during the wait still ends at a savepoint.
     */
    @Test
    void aMastodonRateLimitShowsOnTheProgressLineAsRateLimitedUntilItsReset() throws Exception {
        java.time.Instant reset = java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (FakeMastodon server = new FakeMastodon()) {
            server.nextConnection().refuse(429, "X-RateLimit-Limit: 300", "X-RateLimit-Remaining: 0",
                    "X-RateLimit-Reset: " + reset);
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            LocalRunner runner = new LocalRunner(mastodonSettings(server).build(),
                    new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            String expected = "mastodon: rate-limited until " + java.time.LocalTime.ofInstant(reset,
                    java.time.ZoneId.systemDefault()).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
                    + " (HTTP 429), reconnecting then";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains(expected)
                    && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(200);
            }
            runner.stop();
            LocalRunner.Summary summary = run.get(3, TimeUnit.MINUTES);
            String progress = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(progress).contains(expected).doesNotContain("mastodon: reconnecting in");
            assertThat(summary.stopped()).isTrue();
        }
    }

    /**
     * The Mastodon twin of the tests above: a failure after a checkpoint has committed statuses, a
     * restore. The restored reader fills the gap from the timeline after its checkpointed status, and
     * the stream's events after the restore (a delete) still land; every status lands once.
     */
    @Test
    void aMastodonFailureMidStreamRestoresAndFillsTheGapFromTheCheckpointedStatus() throws Exception {
        int n = 150;
        List<String> statuses = statuses(System.currentTimeMillis() - 60_000, n);
        String deletedId = FakeMastodon.idOf(statuses.get(n / 2));
        String deleted = "mastodon:" + deletedId;
        FailOnce.FAILED.set(false);
        FailOnce.SEEN.set(0);
        FailOnce.failAt = n / 3;
        FailOnce.lake = dir.resolve("lake");
        try (FakeMastodon server = new FakeMastodon()) {
            // Every status is on the timeline; the first connection streams them slowly, over many
            // checkpoints, and the job fails part way.
            server.publishQuietly(statuses.toArray(new String[0]));
            FakeMastodon.Script first = server.nextConnection();
            for (int i = 0; i < n; i++) {
                first.send(FakeMastodon.update(statuses.get(i))).pause(i < n / 3 ? 40 : 300);
            }
            first.thenHang();
            server.nextConnection().send(FakeMastodon.delete(deletedId)).thenLive();
            Path lake = dir.resolve("lake");

            runUntil(new LocalRunner(mastodonSettings(server).build(), null),
                    stream -> stream.map(new FailOnce()).uid("fail-once").name("fail once"),
                    () -> postIds(lake).size() >= n && tombstoneIds(lake).contains(deleted));

            assertThat(FailOnce.FAILED).isTrue();
            List<String> fills = server.timelineRequests();
            assertThat(fills).as("the restored job fills the gap").isNotEmpty();
            String from = fills.get(0).replaceAll(".*min_id=(\\d+).*", "$1");
            assertThat(statuses.stream().map(FakeMastodon::idOf)).as("from a status it had emitted").contains(from);
            List<String> ids = LakeContents.postIds(lake);
            assertThat(ids).hasSize(n);
            assertThat(new HashSet<>(ids)).isEqualTo(mastodonIds(statuses));
            assertThat(tombstoneIds(lake)).containsExactly(deleted);
        }
    }

    /**
     * Runs the job until {@code done} holds, lets two more checkpoints commit (so that anything
     * extra, such as a duplicate, would land too), then cancels it.
     */
    private static void runUntil(LocalRunner runner, UnaryOperator<DataStream<Post>> beforeEnrich, Callable<Boolean> done)
            throws Exception {
        JobClient job = runner.start(beforeEnrich);
        try {
            long deadline = System.nanoTime() + LAKE_TIMEOUT.toNanos();
            while (!done.call()) {
                if (job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get(); // throws the failure
                    throw new AssertionError("the job ended before the lake held what it should");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the lake did not hold what it should within " + LAKE_TIMEOUT);
                }
                Thread.sleep(250);
            }
            Thread.sleep(2_500);
        } finally {
            cancel(job);
        }
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((r, e) -> null).get(30, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the job (and its local cluster) ended already
        }
    }

    /** Post ids in the lake; none while no file has been committed yet. */
    private static List<String> postIds(Path lake) throws SQLException {
        return hasFiles(lake.resolve("posts")) ? LakeContents.postIds(lake) : List.of();
    }

    private static List<String> tombstoneIds(Path lake) throws SQLException {
        return LakeContents.tombstoneIds(lake);
    }

    /** Whether a committed Parquet file (not an in-progress one, which starts with a dot) exists. */
    private static boolean hasFiles(Path table) {
        if (!Files.isDirectory(table)) {
            return false;
        }
        try (var files = Files.find(table, 3, (p, a) -> a.isRegularFile() && p.getFileName().toString().startsWith("part")
                && p.getFileName().toString().endsWith(".parquet"))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
