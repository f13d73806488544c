package io.tidings.dashboard.lake;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the lake looks like now, cheaply: a fingerprint of its committed files (names, sizes,
 * newest modification time) that changes whenever the job commits a file or a dead letter is
 * written. Computed from listings only (no file is opened: a folder walk, or an S3 listing) and
 * reused for {@link LakeRoot#relistAfter()} (a second locally, 5 s on S3), so a page polling every
 * few seconds and every cached answer cost one listing per that time at most.
 */
public final class LakeVersion {
    private static final Logger LOG = LoggerFactory.getLogger(LakeVersion.class);
    /** The folders whose files make up the lake, as the job writes them. */
    static final List<String> FOLDERS = List.of("posts", "entities", "tombstones", "_deadletter");

    /** One look at the lake: its fingerprint and what the health page shows about files. */
    public record Snapshot(String version, int parquetFiles, Instant lastCommit, boolean[] tablesWithFiles) {}

    private final LakeRoot root;
    private final long reuseNanos;
    private volatile Snapshot current;
    private volatile long takenAt;

    public LakeVersion(Path root) {
        this(LakeRoot.local(root));
    }

    public LakeVersion(LakeRoot root) {
        this.root = root;
        this.reuseNanos = root.relistAfter().toNanos();
    }

    /** The current snapshot, at most {@link LakeRoot#relistAfter()} old. */
    public Snapshot snapshot() {
        long now = System.nanoTime();
        Snapshot s = current;
        if (s == null || now - takenAt > reuseNanos) {
            synchronized (this) {
                if (current == null || System.nanoTime() - takenAt > reuseNanos) {
                    look();
                }
                s = current;
            }
        }
        return s;
    }

    /** Looks again now, ignoring the reuse window (after a known change). */
    public synchronized Snapshot rescan() {
        look();
        return current;
    }

    public String version() {
        return snapshot().version();
    }

    /**
     * A listing that failed (a folder the job is changing right now, S3 unreachable for a moment)
     * keeps the last look, so that a hiccup does not read as "files gone" and change the version;
     * the next look is tried after the reuse window. With no look yet, the failure is thrown.
     */
    private void look() {
        try {
            current = scan();
        } catch (UncheckedIOException e) {
            if (current == null) {
                throw e;
            }
            LOG.warn("could not look at the lake, keeping the last look: {}", e.getMessage());
        }
        takenAt = System.nanoTime();
    }

    private Snapshot scan() {
        CRC32 names = new CRC32();
        long files = 0;
        long bytes = 0;
        long newest = 0;
        int parquet = 0;
        boolean[] tablesWithFiles = new boolean[3];
        for (int t = 0; t < FOLDERS.size(); t++) {
            for (LakeRoot.LakeFile file : root.list(FOLDERS.get(t), 3)) {
                // Only committed files count (the job's in-progress files are hidden, left out by the listing).
                String name = file.name();
                if (!name.endsWith(".parquet") && !name.endsWith(".jsonl")) {
                    continue;
                }
                names.update(file.relative().getBytes(StandardCharsets.UTF_8));
                files++;
                bytes += file.size();
                newest = Math.max(newest, file.modifiedMillis());
                if (name.endsWith(".parquet")) {
                    parquet++;
                    if (t < 3) {
                        tablesWithFiles[t] = true;
                    }
                }
            }
        }
        // The listing order is stable (a folder's, or S3's by key); were it to change, the cost is one needless refresh.
        String version = Long.toString(files, 36) + "-" + Long.toString(bytes, 36) + "-"
                + Long.toString(newest, 36) + "-" + Long.toString(names.getValue(), 36);
        Instant lastCommit = newest == 0 ? null : Instant.ofEpochMilli(newest);
        return new Snapshot(version, parquet, lastCommit, tablesWithFiles);
    }
}
