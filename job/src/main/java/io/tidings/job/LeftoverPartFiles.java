package io.tidings.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hidden in-progress part files ({@code .part-….inprogress.…}) that a killed local run leaves
 * in its lake: Flink never deletes them, and each series of kills left dozens more.
 *
 * <p>A local run removes, before it starts, those that no retained checkpoint refers to (a
 * restore could still commit the others, so they stay) — the checkpoints of every checkpoint
 * folder that has ever run into this lake, which each run records in {@value #CHECKPOINT_DIRS}:
 * a killed run's files must survive a later run that keeps its checkpoints elsewhere, or that
 * killed run's {@code --resume} would lose their posts. Another job writing into the same lake
 * at that moment owns in-progress files of its own that no checkpoint names yet, so every local
 * run holds a shared lock on {@code LAKE/.tidings-lock} while it runs, and the clean-up happens
 * only under an exclusive one: when any other run holds the lake, nothing is removed. The
 * operating system releases a killed run's lock. Runs in one JVM share its one lock (file locks
 * belong to the process).
 */
public final class LeftoverPartFiles implements AutoCloseable {
    static final String LOCK_FILE = ".tidings-lock";
    /** The checkpoint folders of the runs that wrote into the lake, one absolute path a line. */
    static final String CHECKPOINT_DIRS = ".tidings-checkpoint-dirs";

    /** The lakes this JVM holds, with how many of its runs hold each. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, int runs) {}

    private final Path lockFile;
    private final List<Path> removed;
    private final String leftAlone;
    private boolean closed;

    private LeftoverPartFiles(Path lockFile, List<Path> removed, String leftAlone) {
        this.lockFile = lockFile;
        this.removed = removed;
        this.leftAlone = leftAlone;
    }

    /**
     * Removes the leftovers when no other run holds the lake, then holds the lake (shared) until
     * {@link #close()}.
     */
    public static LeftoverPartFiles cleanAndHold(Path lake, Path checkpointDir) {
        Path lockFile = lake.toAbsolutePath().normalize().resolve(LOCK_FILE);
        synchronized (HELD) {
            Held held = HELD.get(lockFile);
            if (held != null) {
                HELD.put(lockFile, new Held(held.channel(), held.lock(), held.runs() + 1));
                return new LeftoverPartFiles(lockFile, List.of(), null);
            }
            try {
                Files.createDirectories(lockFile.getParent());
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                List<Path> removed = List.of();
                Path lakeRoot = lockFile.getParent();
                FileLock exclusive = channel.tryLock(0, Long.MAX_VALUE, false);
                String leftAlone = null;
                if (exclusive != null) {
                    try {
                        Set<String> referenced = new java.util.HashSet<>();
                        for (Path dir : checkpointDirs(lakeRoot, checkpointDir)) {
                            referenced.addAll(RetainedCheckpoints.referencedInProgressFiles(dir));
                        }
                        removed = removeUnreferenced(lakeRoot, referenced);
                    } catch (UncheckedIOException unreadable) {
                        // Checkpoints we cannot read may name some of the files: remove none.
                        leftAlone = unreadable.getMessage();
                    } finally {
                        exclusive.release();
                    }
                }
                record(lakeRoot, checkpointDir);
                // Another run starting in this instant may clean first: we have written nothing yet.
                HELD.put(lockFile, new Held(channel, channel.lock(0, Long.MAX_VALUE, true), 1));
                return new LeftoverPartFiles(lockFile, removed, leftAlone);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock the lake " + lake + ": " + e.getMessage(), e);
            }
        }
    }

    /** Nothing to hold: a lake on a store without in-progress files (S3). */
    static LeftoverPartFiles none() {
        LeftoverPartFiles nothing = new LeftoverPartFiles(null, List.of(), null);
        nothing.closed = true;
        return nothing;
    }

    /** The leftovers removed (none when another run held the lake). */
    public List<Path> removed() {
        return removed;
    }

    /** Why no leftover was looked at although the lake was free (checkpoints that could not be read), or null. */
    public String leftAlone() {
        return leftAlone;
    }

    /** This run's checkpoint folder and every one recorded in the lake. */
    private static Set<Path> checkpointDirs(Path lake, Path checkpointDir) throws IOException {
        Set<Path> dirs = new java.util.LinkedHashSet<>();
        dirs.add(checkpointDir.toAbsolutePath().normalize());
        Path recorded = lake.resolve(CHECKPOINT_DIRS);
        if (Files.isRegularFile(recorded)) {
            for (String line : Files.readAllLines(recorded)) {
                if (!line.isBlank()) {
                    dirs.add(Path.of(line.strip()));
                }
            }
        }
        return dirs;
    }

    /** Adds this run's checkpoint folder to the lake's record (an append of one line, safe beside other runs). */
    private static void record(Path lake, Path checkpointDir) throws IOException {
        Path dir = checkpointDir.toAbsolutePath().normalize();
        Path recorded = lake.resolve(CHECKPOINT_DIRS);
        if (Files.isRegularFile(recorded) && Files.readAllLines(recorded).stream().map(String::strip).anyMatch(dir.toString()::equals)) {
            return;
        }
        Files.writeString(recorded, dir + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static List<Path> removeUnreferenced(Path lake, Set<String> referenced) throws IOException {
        try (Stream<Path> files = Files.walk(lake)) {
            List<Path> leftovers = files.filter(p -> RetainedCheckpoints.IN_PROGRESS_NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> !referenced.contains(p.getFileName().toString()))
                    .toList();
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
            return leftovers;
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(lockFile);
            if (held.runs() > 1) {
                HELD.put(lockFile, new Held(held.channel(), held.lock(), held.runs() - 1));
                return;
            }
            HELD.remove(lockFile);
            try {
                held.lock().release();
                held.channel().close();
            } catch (IOException e) {
                // The lock goes with the channel or the process anyway.
            }
        }
    }
}
