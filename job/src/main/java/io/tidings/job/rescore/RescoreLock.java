package io.tidings.job.rescore;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rescore of a lake at a time. Two at once each find the same rows to score and each write
 * them (a red-team finding: every rescored row twice; the views showed the right answers but the
 * history doubled, against "exactly once"). A rescore holds an operating-system lock on a file for
 * its whole run, and the system lets go of it when the process ends however it ends, {@code kill -9}
 * included, so no stale lock ever blocks a later run or a {@code --resume}.
 *
 * <p>A local lake's lock file is in the lake itself ({@value #FILE}: every process that sees the
 * folder sees the lock; a dot file, which Flink's file source and the views never read). An S3
 * lake has no such lock: its file is in this machine's cache ({@code
 * $XDG_CACHE_HOME/tidings/locks}, else {@code ~/.cache/tidings/locks}), named after the lake's URI,
 * so rescores of one bucket from one machine wait their turn and two machines are not stopped
 * (README, "Re-scoring with a new model").
 */
public final class RescoreLock implements AutoCloseable {
    static final String FILE = ".rescore.lock";

    /** The lock files this JVM holds (see {@link #acquire}). */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RescoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lake's lock, or says who holds it.
     *
     * @param lakeUri the lake as {@code RescoreJob.lakeUri} writes it ({@code file:/…} or {@code s3://…})
     * @throws IllegalArgumentException when another rescore of the lake runs (exit code 2: refused
     *     before anything runs)
     */
    public static RescoreLock acquire(String lakeUri) throws IOException {
        Path file = lockFile(lakeUri).toAbsolutePath().normalize();
        // Checked before any file is opened: the locks are POSIX record locks, and closing any channel of
        // a file in a process drops every lock the process holds on it, so a second try from this JVM
        // must not open (and close) the file.
        if (!HELD_HERE.add(file)) {
            throw refused(lakeUri, "process " + ProcessHandle.current().pid() + ", this one", file);
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close(); // this process holds no lock on the file: closing drops nothing
                throw refused(lakeUri, Files.readString(file, StandardCharsets.UTF_8).strip(), file);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + ", started " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RescoreLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(file);
            throw e;
        }
    }

    private static IllegalArgumentException refused(String lakeUri, String holder, Path file) {
        return new IllegalArgumentException("another rescore of " + lakeUri + " is running"
                + (holder.isEmpty() ? "" : " (" + holder + ")") + "; two at once would write the same rows twice."
                + " Wait for it to finish, or stop it and go on with --resume (lock: " + file + ")");
    }

    static Path lockFile(String lakeUri) {
        URI uri = URI.create(lakeUri);
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri).resolve(FILE);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("tidings").resolve("locks").resolve("rescore-" + sha256(lakeUri).substring(0, 16) + ".lock");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets go of the lock (the process's end does the same); the file stays, empty of meaning. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD_HERE.remove(file);
        }
    }
}
