package io.tidings.dashboard.lake;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32;

/**
 * What the lake looks like now, cheaply: a fingerprint of its committed files (names, sizes,
 * newest modification time) that changes whenever the job commits a file or a dead letter is
 * written. Computed by listing folders only (no file is opened) and reused for a second, so a page
 * polling every few seconds and every cached answer cost one directory walk per second at most.
 */
public final class LakeVersion {
    /** The folders whose files make up the lake, as the job writes them. */
    static final List<String> FOLDERS = List.of("posts", "entities", "tombstones", "_deadletter");
    private static final long REUSE_NANOS = 1_000_000_000L;

    /** One look at the lake: its fingerprint and what the health page shows about files. */
    public record Snapshot(String version, int parquetFiles, Instant lastCommit, boolean[] tablesWithFiles) {}

    private final Path root;
    private volatile Snapshot current;
    private volatile long takenAt;

    public LakeVersion(Path root) {
        this.root = root;
    }

    /** The current snapshot, at most a second old. */
    public Snapshot snapshot() {
        long now = System.nanoTime();
        Snapshot s = current;
        if (s == null || now - takenAt > REUSE_NANOS) {
            synchronized (this) {
                if (current == null || System.nanoTime() - takenAt > REUSE_NANOS) {
                    current = scan();
                    takenAt = System.nanoTime();
                }
                s = current;
            }
        }
        return s;
    }

    /** Looks again now, ignoring the reuse window (after a known change). */
    public synchronized Snapshot rescan() {
        current = scan();
        takenAt = System.nanoTime();
        return current;
    }

    public String version() {
        return snapshot().version();
    }

    private Snapshot scan() {
        CRC32 names = new CRC32();
        long[] totals = new long[3]; // files, bytes, newest mtime
        int[] parquet = new int[1];
        boolean[] tablesWithFiles = new boolean[3];
        for (int t = 0; t < FOLDERS.size(); t++) {
            Path folder = root.resolve(FOLDERS.get(t));
            if (!Files.isDirectory(folder)) {
                continue;
            }
            int table = t;
            try {
                Files.walkFileTree(folder, java.util.Set.of(), 3, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String name = file.getFileName().toString();
                        // In-progress files of the job are hidden (".part-..."); only committed files count.
                        boolean committed = !name.startsWith(".") && (name.endsWith(".parquet") || name.endsWith(".jsonl"));
                        if (attrs.isRegularFile() && committed) {
                            names.update(root.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            totals[0]++;
                            totals[1] += attrs.size();
                            totals[2] = Math.max(totals[2], attrs.lastModifiedTime().toMillis());
                            if (name.endsWith(".parquet")) {
                                parquet[0]++;
                                if (table < 3) {
                                    tablesWithFiles[table] = true;
                                }
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // A folder the job is changing right now: the next look sees it settled.
            }
        }
        // The listing order of a folder is stable; were it to change, the cost is one needless refresh.
        String version = Long.toString(totals[0], 36) + "-" + Long.toString(totals[1], 36) + "-"
                + Long.toString(totals[2], 36) + "-" + Long.toString(names.getValue(), 36);
        Instant lastCommit = totals[2] == 0 ? null : Instant.ofEpochMilli(totals[2]);
        return new Snapshot(version, parquet[0], lastCommit, tablesWithFiles);
    }
}
