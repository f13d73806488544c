package io.tidings.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that cannot be read whole: their readable lines, then one record that says why, and the position that remembers it. */
class JsonLinesFormatTest {
    @TempDir
    Path dir;

    private final JsonLinesFormat format = new JsonLinesFormat();

    record Read(List<RawRecord> records, CheckpointedPosition last) {}

    @Test
    void aGzipCutShortGivesItsWholeLinesThenOneUnreadableRecord() throws Exception {
        byte[] gz = gzip(lines(2_000));
        Path cut = Files.write(dir.resolve("cut.jsonl.gz"), Arrays.copyOf(gz, gz.length / 2));

        Read read = read(format.createReader(new Configuration(), split(cut)));

        RawRecord last = read.records().get(read.records().size() - 1);
        List<RawRecord> lines = read.records().subList(0, read.records().size() - 1);
        assertThat(lines).isNotEmpty().allSatisfy(r -> assertThat(r.unreadable).isNull());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(new String(lines.get(i).bytes, StandardCharsets.UTF_8)).isEqualTo(line(i));
            assertThat(lines.get(i).position).isEqualTo("line " + (i + 1));
        }
        assertThat(last.unreadable).contains("cut short").contains("the " + lines.size() + " records before were read");
        assertThat(last.position).isEqualTo("line " + (lines.size() + 1));
        assertThat(last.source).isEqualTo("file:" + cut);
        // What was read of the line it broke in is kept.
        assertThat(line(lines.size())).startsWith(new String(last.bytes, StandardCharsets.UTF_8));
        assertThat(read.last().getOffset()).isEqualTo(JsonLinesFormat.FAILURE_EMITTED);
        assertThat(read.last().getRecordsAfterOffset()).isEqualTo(lines.size() + 1L);

        // Restored after that record went out: nothing again, the file is not even opened.
        Files.delete(cut);
        assertThat(read(format.restoreReader(new Configuration(), split(cut).updateWithCheckpointedPosition(read.last())))
                .records()).isEmpty();
    }

    @Test
    void notGzipEmptyGzipAndMissingFilesSayWhy() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.jsonl.gz"), line(0) + "\n");
        Path empty = Files.write(dir.resolve("empty.jsonl.gz"), new byte[0]);
        Path missing = dir.resolve("missing.jsonl");
        assertThat(onlyRecord(plain).unreadable).contains("not valid gzip").contains("before its first line");
        assertThat(onlyRecord(empty).unreadable).contains("cut short").doesNotContain("null");
        assertThat(onlyRecord(missing).unreadable).contains("does not exist");
    }

    @Test
    void aFileGoneBeforeARestoreGetsOneDeadLetterSayingHowFarItWasRead() throws Exception {
        Path file = Files.write(dir.resolve("gone.jsonl"), lines(10));
        FileSourceSplit afterSeven = split(file).updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 7));
        assertThat(read(format.restoreReader(new Configuration(), afterSeven)).records()).hasSize(3);

        Files.delete(file);
        Read read = read(format.restoreReader(new Configuration(), afterSeven));
        assertThat(read.records()).hasSize(1);
        assertThat(read.records().get(0).unreadable).contains("could not be read again on restore")
                .contains("7 records had been read").contains("does not exist").doesNotContain("before its first line");
        assertThat(read.records().get(0).position).isEqualTo("record 8");
        assertThat(read.last().getOffset()).isEqualTo(JsonLinesFormat.FAILURE_EMITTED);
    }

    @Test
    void aLineOverTheLimitIsADeadLetterThatSaysItIsCut() throws Exception {
        Path file = dir.resolve("long.jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(lines(1));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 17; i++) {
                out.write(chunk);
            }
            out.write('\n');
            out.write(lines(1));
        }
        List<RawRecord> records = read(format.createReader(new Configuration(), split(file))).records();
        assertThat(records).hasSize(3);
        assertThat(records.get(0).unreadable).isNull();
        assertThat(records.get(1).unreadable).contains("17,825,792 bytes").contains("keeps its first 16,777,216 bytes");
        assertThat(records.get(1).bytes).hasSize(JsonLinesFormat.MAX_LINE_BYTES);
        assertThat(records.get(1).position).isEqualTo("line 2");
        assertThat(records.get(2).unreadable).isNull();
        assertThat(records.get(2).position).isEqualTo("line 3");
    }

    private RawRecord onlyRecord(Path file) throws IOException {
        List<RawRecord> records = read(format.createReader(new Configuration(), split(file))).records();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static Read read(BulkFormat.Reader<RawRecord> reader) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        CheckpointedPosition last = null;
        try (reader) {
            for (BulkFormat.RecordIterator<RawRecord> batch; (batch = reader.readBatch()) != null; ) {
                for (RecordAndPosition<RawRecord> r; (r = batch.next()) != null; ) {
                    records.add(r.getRecord());
                    last = new CheckpointedPosition(r.getOffset(), r.getRecordSkipCount());
                }
                batch.releaseBatch();
            }
        }
        return new Read(records, last);
    }

    private static FileSourceSplit split(Path file) {
        long size = Files.exists(file) ? file.toFile().length() : 0;
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0, size);
    }

    private static String line(int i) {
        return "{\"id\": \"" + i + "\", \"text\": \"post number " + i + " with some words to fill the line\","
                + " \"created_at\": \"2026-11-26T10:00:00Z\"}";
    }

    private static byte[] lines(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(line(i)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
