package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.athena.LocalLake;
import io.tidings.source.mastodon.testing.FakeMastodon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the launcher mid-run, then {@code import --resume}: the lake must end with
 * every input post exactly once. Both runs are real {@code bin/tidings}-style JVMs. One of the two
 * input files is deleted before the resume: the resume still finishes the other, says in a dead
 * letter how far the deleted one had been read, and leaves no in-progress part file behind.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedImportResumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        List<String> posts = TestPosts.genericPosts("k", 12_000, 5);
        Path input = TestPosts.write(dir.resolve("posts.jsonl.gz"), posts);
        List<String> extraPosts = TestPosts.genericPosts("gone", 6_000, 6);
        Path extra = TestPosts.write(dir.resolve("extra.jsonl.gz"), extraPosts);
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");

        Process first = LauncherProcess.start(dir.resolve("launcher.log"), "import", "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval", "1", input.toString(), extra.toString());
        // Wait until a checkpoint has committed some posts, then kill the JVM without warning.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!(hasCheckpoint(checkpoints) && hasParquet(lake)) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(first.isAlive()).as("the first run must still be running when killed (input too small?)").isTrue();
        first.destroyForcibly().waitFor();
        int committedBefore = LakeContents.postIds(lake).size();
        assertThat(committedBefore).isBetween(1, posts.size() + extraPosts.size() - 1);
        Files.delete(extra);

        Process resumed = LauncherProcess.start(dir.resolve("launcher.log"), "import", "--resume", "--lake", lake.toString(), "--checkpoint-dir",
                checkpoints.toString(), "--checkpoint-interval", "1", input.toString(), extra.toString());
        assertThat(resumed.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("launcher.log"));
        assertThat(resumed.exitValue()).as(log).isZero();
        assertThat(log).contains("resuming from checkpoint");

        List<String> ids = LakeContents.postIds(lake);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids.stream().filter(id -> id.startsWith("generic:k")).count()).isEqualTo(posts.size());
        long extraLanded = ids.stream().filter(id -> id.startsWith("generic:gone")).count();
        assertThat(extraLanded).isLessThan(extraPosts.size());
        assertThat(TidingsJobTest.deadLetters(lake)).singleElement().satisfies(letter -> {
            assertThat(letter.path("source").asText()).endsWith("extra.jsonl.gz");
            assertThat(letter.path("reason").asText()).contains("could not be read again on restore").contains("does not exist");
        });
        try (Stream<Path> files = Files.walk(lake)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".inprogress"))).isEmpty();
        }
    }

    /**
     * The same for a live source: {@code run --mastodon} against the fake server (in this JVM), kill
     * -9 once a checkpoint has committed statuses, then {@code run --resume}: the resumed run fills
     * the gap from the server's timeline after its checkpointed status, and the lake ends with every
     * status exactly once.
     */
    @Test
    void killedMastodonRunResumesFromItsCheckpointedStatusWithoutLossOrDuplicates() throws Exception {
        int n = 400;
        long t0 = System.currentTimeMillis() - 60_000;
        List<String> statuses = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String status = FakeMastodon.status(FakeMastodon.idAt(t0 + i, 0), "alice",
                    "Barack Obama visited the Flink Forward conference in Berlin, status " + i, "flink");
            statuses.add(status);
            expected.add("mastodon:" + FakeMastodon.idOf(status));
        }
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(statuses.toArray(new String[0]));
            FakeMastodon.Script first = server.nextConnection();
            statuses.forEach(s -> first.send(FakeMastodon.update(s)).pause(25));
            first.thenHang();
            String[] run = {"run", "--mastodon", server.uri().toString(), "--mastodon-hashtag", "flink", "--lake",
                    lake.toString(), "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "1"};

            Process firstRun = LauncherProcess.start(dir.resolve("launcher.log"), run);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!(hasCheckpoint(checkpoints) && hasParquet(lake)) && firstRun.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(firstRun.isAlive()).as(Files.readString(dir.resolve("launcher.log"))).isTrue();
            firstRun.destroyForcibly().waitFor();
            int committedBefore = LakeContents.postIds(lake).size();
            assertThat(committedBefore).isBetween(1, n - 1);

            List<String> resumeArgs = new ArrayList<>(List.of(run));
            resumeArgs.add("--resume");
            Process resumed = LauncherProcess.start(dir.resolve("launcher.log"), resumeArgs.toArray(new String[0]));
            try {
                deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (LakeContents.postIds(lake).size() < n && resumed.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
                Thread.sleep(3_000); // two more checkpoints: a duplicate would land too
            } finally {
                resumed.destroy();
                resumed.waitFor(30, TimeUnit.SECONDS);
                resumed.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("launcher.log"));
            assertThat(log).contains("resuming from checkpoint").as("the progress line shows the connection")
                    .contains("mastodon: receiving");
            List<String> fills = server.timelineRequests();
            assertThat(fills).as(log).isNotEmpty();
            assertThat(fills.get(0)).as("the resumed run goes on from a status it had emitted")
                    .matches("GET /api/v1/timelines/tag/flink\\?limit=40&min_id=\\d+ HTTP/1.1")
                    .satisfies(r -> assertThat(expected).contains("mastodon:" + r.replaceAll(".*min_id=(\\d+).*", "$1")));
            List<String> ids = LakeContents.postIds(lake);
            assertThat(new HashSet<>(ids)).as("no duplicates").hasSameSizeAs(ids);
            assertThat(new HashSet<>(ids)).as("no loss").isEqualTo(expected);
        }
    }

    /**
     * What Mastodon never replays: a deletion the stream sent after the last checkpoint. The first run
     * emits statuses, a checkpoint commits them, the server deletes one (its delete event goes out on
     * the live connection) and the run is killed before the next checkpoint; the resumed run rechecks
     * the statuses its checkpoint says it emitted lately, finds that one gone, and the {@code posts}
     * view no longer shows it.
     */
    @Test
    void aMastodonDeletionStreamedAfterTheLastCheckpointIsNotLostWithKillAndResume() throws Exception {
        int n = 30;
        long t0 = System.currentTimeMillis() - 60_000;
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(FakeMastodon.status(FakeMastodon.idAt(t0 + i, 0), "alice",
                    "Olaf Scholz opened the Flink Forward conference in Berlin, status " + i, "flink"));
        }
        String deletedId = FakeMastodon.idOf(statuses.get(n / 2));
        String deleted = "mastodon:" + deletedId;
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");
        Path log = dir.resolve("launcher.log");
        try (FakeMastodon server = new FakeMastodon()) {
            server.publishQuietly(statuses.toArray(new String[0]));
            FakeMastodon.Script first = server.nextConnection();
            statuses.forEach(s -> first.send(FakeMastodon.update(s)));
            first.thenLive();
            List<String> run = List.of("run", "--mastodon", server.uri().toString(), "--mastodon-hashtag", "flink",
                    "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toString());

            // Checkpoints 15 s apart: the deletion and the kill fit between two of them.
            List<String> firstArgs = new ArrayList<>(run);
            firstArgs.addAll(List.of("--checkpoint-interval", "15"));
            Process firstRun = LauncherProcess.start(log, firstArgs.toArray(new String[0]));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!(hasCheckpoint(checkpoints) && LakeContents.committedPostCount(lake) == n) && firstRun.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(firstRun.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(new HashSet<>(LakeContents.postIds(lake))).as("the first checkpoint committed every status")
                    .contains(deleted).hasSize(n);
            server.deleteStatus(deletedId);
            Thread.sleep(2_000); // read by the job, not yet checkpointed
            firstRun.destroyForcibly().waitFor();
            assertThat(LakeContents.tombstoneIds(lake)).as("killed before a checkpoint committed the tombstone")
                    .doesNotContain(deleted);

            List<String> resumeArgs = new ArrayList<>(run);
            resumeArgs.addAll(List.of("--checkpoint-interval", "1", "--resume"));
            Process resumed = LauncherProcess.start(log, resumeArgs.toArray(new String[0]));
            try {
                deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (!LakeContents.tombstoneIds(lake).contains(deleted) && resumed.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
            } finally {
                resumed.destroy();
                resumed.waitFor(30, TimeUnit.SECONDS);
                resumed.destroyForcibly();
            }
            assertThat(Files.readString(log)).contains("resuming from checkpoint");
            assertThat(server.lookupRequests()).as("the resumed run asked about what it had emitted").isNotEmpty();
            assertThat(LakeContents.tombstoneIds(lake)).as(Files.readString(log)).containsExactly(deleted);
            try (LocalLake local = LocalLake.open(lake)) {
                assertThat(local.query("select count(*) from posts where post_id = '" + deleted + "'", 1).rows()
                        .get(0).get(0)).as("the posts view leaves the deleted status out").isEqualTo(0L);
                assertThat(local.query("select count(*) from posts", 1).rows().get(0).get(0)).isEqualTo((long) n - 1);
            }
        }
    }

    private static boolean hasCheckpoint(Path checkpoints) throws Exception {
        return !RetainedCheckpoints.newestFirst(checkpoints).isEmpty();
    }

    private static boolean hasParquet(Path lake) throws Exception {
        if (!Files.isDirectory(lake.resolve("posts"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(lake.resolve("posts"))) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith("."));
        }
    }
}
