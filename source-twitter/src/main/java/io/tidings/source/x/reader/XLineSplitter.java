package io.tidings.source.x.reader;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Cuts a byte stream into lines at {@code \n} (dropping a {@code \r} before it), whatever the
 * chunk boundaries. A line is only returned once its newline arrived; what is pending when a
 * connection ends is a partial line and is discarded by the caller.
 */
@Internal
public final class XLineSplitter {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The complete lines that {@code chunk} finished, in order (keep-alives as empty arrays). */
    public List<byte[]> feed(byte[] chunk) {
        List<byte[]> lines = new ArrayList<>(2);
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                pending.write(chunk, start, i - start);
                byte[] line = pending.toByteArray();
                pending.reset();
                int len = line.length;
                if (len > 0 && line[len - 1] == '\r') {
                    line = java.util.Arrays.copyOf(line, len - 1);
                }
                lines.add(line);
                start = i + 1;
            }
        }
        pending.write(chunk, start, chunk.length - start);
        return lines;
    }

    /** Bytes of a line not finished yet. */
    public int pendingBytes() {
        return pending.size();
    }

    /** Forgets a partial line (the connection that was sending it is gone). */
    public void discard() {
        pending.reset();
    }
}
