package io.tidings.job;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * The checkpoints local runs retained under {@code --checkpoint-dir} ({@code JOB-ID/chk-N/_metadata})
 * and the savepoints of runs stopped with Ctrl-C or SIGTERM ({@code JOB-ID/savepoint-…/_metadata}),
 * which {@code --resume} continues from.
 *
 * <p>Which one: the newest run's (the job folder whose newest {@code _metadata} was written last;
 * checkpoint ids start again at 1 in every fresh run), and in it the highest id, not the newest
 * file time. A checkpoint whose {@code _metadata} Flink cannot read (a kill while it was being
 * written) is passed over for the next one, and the caller is told.
 *
 * <p>A run that ended by itself (its input read to the end) leaves {@value #FINISHED} in its job
 * folder: when that run is the newest, there is nothing to resume, and an older run's checkpoint
 * (the one the finished run itself resumed from, say) must not be taken up again, which would
 * write the rows since that checkpoint a second time.
 */
public final class RetainedCheckpoints {
    /** Flink's in-progress part files: {@code .part-<uuid>-<n>.parquet.inprogress.<uuid>}. */
    static final Pattern IN_PROGRESS_NAME =
            Pattern.compile("\\.part-[A-Za-z0-9._-]{1,200}?\\.inprogress\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private RetainedCheckpoints() {}

    /** The id a savepoint sorts by: a stopped run's savepoint ({@code JOB-ID/savepoint-…}) comes after its checkpoints. */
    static final long SAVEPOINT_ID = Long.MAX_VALUE;

    /** The marker a run that ended by itself leaves in its job folder ({@code JOB-ID/_finished}). */
    public static final String FINISHED = "_finished";

    /** A run that ended by itself: its job id and when. */
    public record FinishedRun(String job, java.time.Instant at) {}

    /**
     * Marks the run of {@code job} as ended by itself (called by the local runner when the job
     * finished, not when it was stopped or failed).
     */
    public static void markFinished(Path checkpointDir, String job) throws IOException {
        Path folder = Files.createDirectories(checkpointDir.resolve(job));
        Files.writeString(folder.resolve(FINISHED), "this run read its input to the end: --resume has nothing to continue\n");
    }

    /**
     * The newest run under {@code checkpointDir} when it ended by itself (newer than every retained
     * checkpoint and savepoint), so {@code --resume} has nothing to continue; empty otherwise.
     */
    public static Optional<FinishedRun> newestRunFinished(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        Optional<FinishedRun> finished;
        try (Stream<Path> runs = Files.list(checkpointDir)) {
            finished = runs.filter(run -> Files.isRegularFile(run.resolve(FINISHED)))
                    .map(run -> new FinishedRun(run.getFileName().toString(),
                            java.time.Instant.ofEpochMilli(modified(run.resolve(FINISHED)))))
                    .max(Comparator.comparing(FinishedRun::at));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Checkpoint> retained = newestFirst(checkpointDir);
        return finished.filter(run -> retained.stream()
                .noneMatch(c -> modified(c.dir().resolve("_metadata")) > run.at().toEpochMilli()));
    }

    /** One retained checkpoint (or a stopped run's savepoint): its folder, job and id. */
    public record Checkpoint(Path dir, String job, long id) {
        @Override
        public String toString() {
            return (id == SAVEPOINT_ID ? "the savepoint" : "checkpoint " + id) + " of run " + job + " (" + dir + ")";
        }
    }

    /** The checkpoint to resume from, and the newer ones passed over, with why. */
    public record Choice(Checkpoint checkpoint, List<String> passedOver) {}

    /** Every retained checkpoint with a {@code _metadata} file, in the order {@code --resume} tries them. */
    public static List<Checkpoint> newestFirst(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return List.of();
        }
        List<Checkpoint> all = new ArrayList<>();
        try (Stream<Path> files = Files.find(checkpointDir, 3, (p, attrs) -> p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().matches("chk-\\d+|savepoint-.+"))) {
            for (Path metadata : files.toList()) {
                Path chk = metadata.getParent();
                String name = chk.getFileName().toString();
                // A stop's savepoint is the last state of its run: after every checkpoint of it.
                long id = name.startsWith("savepoint-") ? SAVEPOINT_ID : Long.parseLong(name.substring("chk-".length()));
                all.add(new Checkpoint(chk, chk.getParent().getFileName().toString(), id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Long> runWritten = all.stream().collect(Collectors.toMap(Checkpoint::job,
                c -> modified(c.dir().resolve("_metadata")), Math::max));
        return all.stream()
                .sorted(Comparator.comparing((Checkpoint c) -> runWritten.get(c.job())).reversed()
                        .thenComparing(Checkpoint::job)
                        .thenComparing(Comparator.comparingLong(Checkpoint::id).reversed()))
                .toList();
    }

    /** The checkpoint {@code --resume} continues from: the first of {@link #newestFirst} that Flink can read. */
    public static Optional<Choice> forResume(Path checkpointDir) {
        List<String> passedOver = new ArrayList<>();
        for (Checkpoint checkpoint : newestFirst(checkpointDir)) {
            Optional<String> unreadable = unreadable(checkpoint);
            if (unreadable.isEmpty()) {
                return Optional.of(new Choice(checkpoint, passedOver));
            }
            passedOver.add(checkpoint + ": " + unreadable.get());
        }
        return Optional.empty();
    }

    /** Why Flink cannot read the checkpoint's metadata, or empty when it can. */
    static Optional<String> unreadable(Checkpoint checkpoint) {
        Path metadata = checkpoint.dir().resolve("_metadata");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            Checkpoints.loadCheckpointMetadata(in, RetainedCheckpoints.class.getClassLoader(), checkpoint.dir().toString());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("its _metadata cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "), probably cut short by a kill");
        }
    }

    /**
     * The names of in-progress part files that some retained checkpoint still refers to (files a
     * restore from it would commit). Flink's local recoverable writer stores each pending file's
     * path in the sink's state as text, inline in {@code _metadata} or in a state file beside it,
     * so every file under the checkpoint folder is searched for those names. A state file that
     * cannot be read may name some: that is an {@link UncheckedIOException}, not an empty answer.
     */
    static Set<String> referencedInProgressFiles(Path checkpointDir) {
        Set<String> names = new HashSet<>();
        if (!Files.isDirectory(checkpointDir)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(checkpointDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    // Latin-1 maps every byte to one char, so ASCII names match where they were written.
                    Matcher m = IN_PROGRESS_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        names.add(m.group());
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // Flink removed a subsumed checkpoint meanwhile: nothing can be restored from it.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints under " + checkpointDir + ": " + e.getMessage(), e);
        }
        return names;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
