package io.tidings.job.lake;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Keeps a lake in one {@link LakeLayout}: the first run that writes a lake records the layout in
 * {@value LakeLayout#MARKER} at its root (on local disk or S3, through Flink's file systems); a
 * later run follows it, and one asking for another layout is refused before it starts, since
 * folders of two layouts in one table would not read as one table. A lake from before the marker
 * is by hour.
 */
public final class LakeLayoutMarker {
    private LakeLayoutMarker() {}

    /**
     * The layout to write the lake at {@code lakeUri} in: its own, or {@code wanted} (null: no
     * wish, by hour) for a new lake, then recorded. Refuses a {@code wanted} that is not the lake's.
     */
    public static LakeLayout claim(String lakeUri, LakeLayout wanted) {
        Path marker = new Path(lakeUri, LakeLayout.MARKER);
        try {
            FileSystem fs = marker.getFileSystem();
            LakeLayout existing = fs.exists(marker) ? LakeLayout.fromMarker(read(fs, marker)) : hasTableData(fs, lakeUri) ? LakeLayout.HOUR : null;
            if (existing != null && wanted != null && existing != wanted) {
                throw new IllegalArgumentException("the lake " + lakeUri + " is partitioned by " + existing.optionName()
                        + "; --partition " + wanted.optionName() + " would mix two layouts in its tables (use --partition "
                        + existing.optionName() + ", or another --lake)");
            }
            LakeLayout layout = existing != null ? existing : wanted != null ? wanted : LakeLayout.HOUR;
            if (!fs.exists(marker)) {
                try (OutputStream out = fs.create(marker, FileSystem.WriteMode.OVERWRITE)) {
                    out.write(layout.markerJson().getBytes(StandardCharsets.UTF_8));
                }
            }
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + marker + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasTableData(FileSystem fs, String lakeUri) throws IOException {
        for (LakeTables.Table table : LakeTables.ALL) {
            Path folder = new Path(lakeUri, table.folder());
            if (fs.exists(folder)) {
                FileStatus[] partitions = fs.listStatus(folder);
                if (partitions != null && partitions.length > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String read(FileSystem fs, Path marker) throws IOException {
        try (InputStream in = fs.open(marker)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
