package io.tidings.job.source;

import io.tidings.records.RawRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON-lines files (plain, or gzip when the name ends in {@code .gz}) as {@link
 * RawRecord}s: one record per non-blank line, bytes untouched, so that invalid UTF-8 or broken
 * JSON reaches the normalizer and becomes a dead letter with its exact bytes instead of being
 * "repaired" by a text decoder.
 *
 * <p>A file that cannot be read (not gzip, cut short, vanished, no permission) never fails the
 * job: its readable lines are emitted, then one {@linkplain RawRecord#unreadable unreadable}
 * record that says why and how far reading got (it becomes a dead letter), and the file is done.
 * The other files go on.
 *
 * <p>A bulk format rather than a {@code StreamFormat} because the reader needs the split's path
 * for each record's {@code source}. The checkpointed position is the number of records emitted
 * from the file (compressed files cannot seek), so a restored reader skips exactly what was
 * already emitted; its offset says whether the file's unreadable record was among them
 * ({@link #FAILURE_EMITTED}), so a restore neither repeats that dead letter nor reads the file
 * again, and a file that became unreadable since (deleted before {@code --resume}) gets one.
 */
public final class JsonLinesFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /** Lines longer than this are cut here, and their record is a dead letter that says so (the rest would not fit a heap). */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    private static final int RECORDS_PER_BATCH = 256;
    /** The checkpointed offset once the file's unreadable record went out: nothing more to read. */
    static final long FAILURE_EMITTED = 1;

    private final String[] matchedRules;

    /** @param matchedRules the rules/terms to record on every post read (e.g. the import's label) */
    public JsonLinesFormat(String... matchedRules) {
        this.matchedRules = matchedRules.clone();
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) {
        return new LineReader(split, 0, false, matchedRules);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) {
        long alreadyEmitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        boolean failureEmitted = split.getReaderPosition().map(p -> p.getOffset() == FAILURE_EMITTED).orElse(false);
        return new LineReader(split, alreadyEmitted, failureEmitted, matchedRules);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements Reader<RawRecord> {
        private final String source;
        private final String[] matchedRules;
        private final long alreadyEmitted;
        private InputStream in;
        private long lineNumber;
        private long emitted;
        private boolean eof;
        /** Why the file cannot be read further, once it could not; emitted as the file's last record. */
        private RawRecord failure;

        LineReader(FileSourceSplit split, long alreadyEmitted, boolean failureEmitted, String[] matchedRules) {
            Path path = split.path();
            this.source = "file:" + path.getPath();
            this.matchedRules = matchedRules;
            this.alreadyEmitted = alreadyEmitted;
            if (failureEmitted) {
                eof = true;
                return;
            }
            try {
                InputStream raw = path.getFileSystem().open(path);
                boolean gzip = path.getName().endsWith(".gz") || path.getName().endsWith(".gzip");
                this.in = new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16);
            } catch (IOException | RuntimeException e) {
                fail(e, new byte[0]);
                return;
            }
            while (emitted < alreadyEmitted && failure == null && nextRecord() != null) {
                // skipping what the checkpoint says was emitted already
            }
        }

        @Override
        public RecordIterator<RawRecord> readBatch() {
            if (eof) {
                return null;
            }
            long firstRecord = emitted;
            List<RawRecord> batch = new ArrayList<>(RECORDS_PER_BATCH);
            RawRecord record;
            while (batch.size() < RECORDS_PER_BATCH && failure == null && (record = nextRecord()) != null) {
                batch.add(record);
            }
            if (!batch.isEmpty()) {
                return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, firstRecord);
            }
            if (failure != null) {
                // Alone in its batch, so its position (and every later one) says it went out.
                eof = true;
                emitted++;
                return new IteratorResultIterator<>(List.of(failure).iterator(), FAILURE_EMITTED, firstRecord);
            }
            return null;
        }

        /** The next non-blank line as a record; null at the end of the file or once it cannot be read. */
        private RawRecord nextRecord() {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            while (true) {
                line.reset();
                long length = 0;
                int b;
                try {
                    while ((b = in.read()) != -1 && b != '\n') {
                        if (length++ < MAX_LINE_BYTES) {
                            line.write(b);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    fail(e, line.toByteArray());
                    return null;
                }
                if (b == -1 && length == 0) {
                    eof = true;
                    return null;
                }
                lineNumber++;
                byte[] bytes = line.toByteArray();
                int kept = bytes.length;
                if (kept > 0 && bytes[kept - 1] == '\r' && length == kept) {
                    kept--;
                }
                if (isBlank(bytes, kept)) {
                    continue;
                }
                if (kept != bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, kept);
                }
                long now = System.currentTimeMillis();
                RawRecord record = length > MAX_LINE_BYTES
                        ? RawRecord.unreadable(source, "line " + lineNumber, bytes, String.format("the line is %,d bytes,"
                                + " over the %,d a line may have: this dead letter keeps its first %,d bytes", length,
                                MAX_LINE_BYTES, MAX_LINE_BYTES), now)
                        : new RawRecord(source, "line " + lineNumber, bytes, now);
                record.matchedRules = matchedRules;
                emitted++;
                return record;
            }
        }

        /** Remembers why the file cannot be read further, with the bytes of the line it was in. */
        private void fail(Exception e, byte[] partialLine) {
            String why = describe(e);
            String reason;
            String position;
            if (emitted < alreadyEmitted) {
                // Restoring: the lines before were read by an earlier attempt, this one could not get to them.
                position = "record " + (alreadyEmitted + 1);
                reason = "the file could not be read again on restore (" + why + "): " + alreadyEmitted
                        + " records had been read from it before; any lines after them were not read";
            } else {
                position = "line " + (lineNumber + 1);
                String where = lineNumber == 0 && partialLine.length == 0 ? "before its first line"
                        : "after line " + lineNumber + (partialLine.length > 0 ? ", in the middle of the next" : "");
                reason = "the file could not be read (" + why + ") " + where + ": the " + emitted
                        + " records before were read, anything after was not";
            }
            failure = RawRecord.unreadable(source, position, partialLine, reason, System.currentTimeMillis());
            failure.matchedRules = matchedRules;
        }

        private static String describe(Exception e) {
            String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
            if (e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
                return "it does not exist any more" + detail;
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied" + detail;
            }
            if (e instanceof java.util.zip.ZipException) {
                return "not valid gzip" + detail;
            }
            if (e instanceof java.io.EOFException) {
                return "it ends too early, cut short" + detail;
            }
            return e.getClass().getSimpleName() + detail;
        }

        private static boolean isBlank(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte c = bytes[i];
                if (c != ' ' && c != '\t' && c != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
