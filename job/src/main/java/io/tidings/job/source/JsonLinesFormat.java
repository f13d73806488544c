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
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON-lines files (plain, or gzip when the name ends in {@code .gz}) as {@link
 * RawRecord}s: one record per non-blank line, bytes untouched, so that invalid UTF-8 or broken
 * JSON reaches the normalizer and becomes a dead letter with its exact bytes instead of being
 * "repaired" by a text decoder.
 *
 * <p>A bulk format rather than a {@code StreamFormat} because the reader needs the split's path
 * for each record's {@code source}. The checkpointed position is the number of records emitted
 * from the file (compressed files cannot seek), so a restored reader skips exactly what was
 * already emitted.
 */
public final class JsonLinesFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /** Lines longer than this are cut here; the normalizer then refuses them as invalid JSON. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    private static final int RECORDS_PER_BATCH = 256;

    private final String[] matchedRules;

    /** @param matchedRules the rules/terms to record on every post read (e.g. the import's label) */
    public JsonLinesFormat(String... matchedRules) {
        this.matchedRules = matchedRules.clone();
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0, matchedRules);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long alreadyEmitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, alreadyEmitted, matchedRules);
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
        private final InputStream in;
        private final String source;
        private final String[] matchedRules;
        private long lineNumber;
        private long emitted;
        private boolean eof;

        LineReader(FileSourceSplit split, long skipRecords, String[] matchedRules) throws IOException {
            Path path = split.path();
            FileSystem fs = path.getFileSystem();
            InputStream raw = fs.open(path);
            boolean gzip = path.getName().endsWith(".gz") || path.getName().endsWith(".gzip");
            this.in = new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16);
            this.source = "file:" + path.getPath();
            this.matchedRules = matchedRules;
            while (emitted < skipRecords && nextRecord() != null) {
                // skipping what the checkpoint says was emitted already
            }
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            if (eof) {
                return null;
            }
            long firstRecord = emitted;
            List<RawRecord> batch = new ArrayList<>(RECORDS_PER_BATCH);
            RawRecord record;
            while (batch.size() < RECORDS_PER_BATCH && (record = nextRecord()) != null) {
                batch.add(record);
            }
            if (batch.isEmpty()) {
                return null;
            }
            return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, firstRecord);
        }

        /** The next non-blank line as a record, or null at the end of the file. */
        private RawRecord nextRecord() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            while (true) {
                line.reset();
                boolean truncated = false;
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (line.size() < MAX_LINE_BYTES) {
                        line.write(b);
                    } else {
                        truncated = true;
                    }
                }
                if (b == -1 && line.size() == 0) {
                    eof = true;
                    return null;
                }
                lineNumber++;
                byte[] bytes = line.toByteArray();
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\r') {
                    length--;
                }
                if (isBlank(bytes, length)) {
                    continue;
                }
                if (length != bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, length);
                }
                String position = "line " + lineNumber + (truncated ? " (cut at " + MAX_LINE_BYTES + " bytes)" : "");
                RawRecord record = new RawRecord(source, position, bytes, System.currentTimeMillis());
                record.matchedRules = matchedRules;
                emitted++;
                return record;
            }
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
            in.close();
        }
    }
}
