package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint {@code --resume} takes, and which in-progress part files a start removes. */
class RetainedCheckpointsTest {
    private static final String UUID_A = "0b8e3e8c-5b1e-4c5e-9a55-7c1d2f3a4b5c";
    private static final String UUID_B = "1c9f4f9d-6c2f-4d6f-8b66-8d2e3a4b5c6d";

    @TempDir
    Path dir;

    @Test
    void resumeTakesTheNewestRunsHighestIdAndPassesOverAnUnreadableOne() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        // An older run with higher ids, then a newer run whose chk-10 was written before chk-9
        // (file times say nothing about order), and whose chk-12 was cut short by a kill.
        checkpoint(checkpoints, "old-run", 50, Instant.parse("2026-12-01T10:00:00Z"), false);
        checkpoint(checkpoints, "new-run", 9, Instant.parse("2026-12-02T10:05:00Z"), false);
        checkpoint(checkpoints, "new-run", 10, Instant.parse("2026-12-02T10:00:00Z"), false);
        checkpoint(checkpoints, "new-run", 12, Instant.parse("2026-12-02T10:06:00Z"), true);

        assertThat(RetainedCheckpoints.newestFirst(checkpoints)).extracting(c -> c.job() + "/" + c.id())
                .containsExactly("new-run/12", "new-run/10", "new-run/9", "old-run/50");
        RetainedCheckpoints.Choice choice = RetainedCheckpoints.forResume(checkpoints).orElseThrow();
        assertThat(choice.checkpoint().job()).isEqualTo("new-run");
        assertThat(choice.checkpoint().id()).isEqualTo(10);
        assertThat(choice.passedOver()).singleElement().asString().contains("checkpoint 12").contains("cannot be read");

        assertThat(RetainedCheckpoints.forResume(dir.resolve("none"))).isEmpty();
    }

    @Test
    void aRunThatReadItsInputToTheEndLeavesNothingToResume() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        // The run a resume continued from: its checkpoint stays after the resumed run has finished.
        checkpoint(checkpoints, "killed-run", 3, Instant.now().minusSeconds(3600), false);
        Path input = TestPosts.write(dir.resolve("posts.jsonl"), TestPosts.genericPosts("fin", 20, 3));
        new LocalRunner(TestPosts.importSettings(dir, input).checkpointDir(checkpoints.toString()).build(), null).run();

        RetainedCheckpoints.FinishedRun finished = RetainedCheckpoints.newestRunFinished(checkpoints).orElseThrow();
        assertThat(finished.job()).isNotEqualTo("killed-run");
        assertThat(checkpoints.resolve(finished.job()).resolve(RetainedCheckpoints.FINISHED)).isRegularFile();

        // A later run killed after its first checkpoint is what --resume continues again.
        checkpoint(checkpoints, "later-run", 1, Instant.now().plusSeconds(60), false);
        assertThat(RetainedCheckpoints.newestRunFinished(checkpoints)).isEmpty();
        assertThat(RetainedCheckpoints.forResume(checkpoints).orElseThrow().checkpoint().job()).isEqualTo("later-run");
    }

    @Test
    void aStartRemovesOnlyInProgressFilesNoCheckpointNames() throws Exception {
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");
        Path partition = Files.createDirectories(lake.resolve("posts/dt=2026-12-01/hour=07"));
        Path letters = Files.createDirectories(lake.resolve("_deadletter/dt=2026-12-01"));

        // Another run holds the lake (as a running job does): its in-progress files are named by
        // no checkpoint yet, and a start meanwhile must leave them alone.
        Process other = holdInAnotherJvm(lake, checkpoints);
        Path pending = Files.writeString(partition.resolve(".part-" + UUID_A + "-3.parquet.inprogress." + UUID_B), "pending");
        Path orphan = Files.writeString(partition.resolve(".part-" + UUID_B + "-0.parquet.inprogress." + UUID_A), "orphan");
        Path orphanLetter = Files.writeString(letters.resolve(".part-" + UUID_B + "-1.jsonl.inprogress." + UUID_B), "x");
        Path committed = Files.writeString(partition.resolve("part-" + UUID_A + "-2.parquet"), "committed");
        // The pending file's path as Flink's local recoverable writer keeps it in the sink's state.
        Files.createDirectories(checkpoints.resolve("run/chk-4"));
        Files.write(checkpoints.resolve("run/chk-4/some-state-file"), concat(new byte[] {0, 1, 2},
                (partition + "/" + pending.getFileName()).getBytes(), new byte[] {0, 7}));
        try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, checkpoints)) {
            assertThat(held.removed()).isEmpty();
        }
        assertThat(orphan).exists();

        // The other run is killed: its files are now leftovers.
        other.destroyForcibly().waitFor();

        try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, checkpoints)) {
            assertThat(held.removed()).containsExactlyInAnyOrder(orphan, orphanLetter);
            // A second run in this JVM shares the hold and removes nothing.
            try (LeftoverPartFiles second = LeftoverPartFiles.cleanAndHold(lake, checkpoints)) {
                assertThat(second.removed()).isEmpty();
            }
        }
        assertThat(pending).exists();
        assertThat(committed).exists();
        assertThat(orphan).doesNotExist();
        assertThat(orphanLetter).doesNotExist();
    }

    @Test
    void aRunWithAnotherCheckpointFolderKeepsTheFilesAKilledRunsCheckpointNames() throws Exception {
        Path lake = dir.resolve("lake");
        Path partition = Files.createDirectories(lake.resolve("posts/dt=2026-12-01/hour=07"));
        Path killedRuns = dir.resolve("checkpoints-of-the-killed-run");
        // The killed run held the lake (recording its checkpoint folder), wrote, and checkpointed.
        try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, killedRuns)) {
            assertThat(held.removed()).isEmpty();
        }
        Path pending = Files.writeString(partition.resolve(".part-" + UUID_A + "-3.parquet.inprogress." + UUID_B), "pending");
        Path orphan = Files.writeString(partition.resolve(".part-" + UUID_B + "-0.parquet.inprogress." + UUID_A), "orphan");
        Files.createDirectories(killedRuns.resolve("run/chk-1"));
        Files.write(killedRuns.resolve("run/chk-1/_metadata"), (partition + "/" + pending.getFileName()).getBytes());

        // Another run, its checkpoints elsewhere: the killed run's --resume can still commit `pending`.
        try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, dir.resolve("other-checkpoints"))) {
            assertThat(held.removed()).containsExactly(orphan);
        }
        assertThat(pending).exists();
        assertThat(Files.readAllLines(lake.resolve(LeftoverPartFiles.CHECKPOINT_DIRS)))
                .containsExactly(killedRuns.toAbsolutePath().toString(), dir.resolve("other-checkpoints").toAbsolutePath().toString());
    }

    @Test
    void checkpointsThatCannotBeReadLeaveEveryInProgressFileAlone() throws Exception {
        Path lake = dir.resolve("lake");
        Path partition = Files.createDirectories(lake.resolve("posts/dt=2026-12-01/hour=07"));
        Path maybeNamed = Files.writeString(partition.resolve(".part-" + UUID_B + "-0.parquet.inprogress." + UUID_A), "x");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints/run/chk-2"));
        // A state file whose read fails with an I/O error, even for root (who may read any file).
        Files.createSymbolicLink(checkpoints.resolve("state"), Path.of("/proc/self/mem"));

        try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(lake, dir.resolve("checkpoints"))) {
            assertThat(held.removed()).isEmpty();
            assertThat(held.leftAlone()).contains("cannot read the checkpoints");
        }
        assertThat(maybeNamed).exists();
    }

    /** Another JVM holding the lake the way a running job does (shared lock), until killed. */
    private Process holdInAnotherJvm(Path lake, Path checkpoints) throws Exception {
        Path ready = dir.resolve("holder-ready");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LakeHolder.class.getName(), lake.toString(), checkpoints.toString(),
                ready.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile())
                .directory(new File(System.getProperty("user.dir"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(ready) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ready).as(Files.exists(dir.resolve("holder.log")) ? Files.readString(dir.resolve("holder.log")) : "").exists();
        return process;
    }

    /** Holds a lake (as a run does) until killed; writes the file named by its third argument once it does. */
    public static final class LakeHolder {
        public static void main(String[] args) throws Exception {
            try (LeftoverPartFiles held = LeftoverPartFiles.cleanAndHold(Path.of(args[0]), Path.of(args[1]))) {
                Files.writeString(Path.of(args[2]), "holding, removed " + held.removed().size());
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    private static void checkpoint(Path checkpoints, String run, long id, Instant written, boolean cut) throws Exception {
        Path chk = Files.createDirectories(checkpoints.resolve(run).resolve("chk-" + id));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(id, List.of(), List.of()), out);
        }
        byte[] metadata = bytes.toByteArray();
        Path file = Files.write(chk.resolve("_metadata"), cut ? Arrays.copyOf(metadata, metadata.length / 2) : metadata);
        Files.setLastModifiedTime(file, FileTime.from(written));
    }

    private static byte[] concat(byte[]... parts) {
        List<Byte> all = new ArrayList<>();
        for (byte[] part : parts) {
            for (byte b : part) {
                all.add(b);
            }
        }
        byte[] out = new byte[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
