package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.Dashboard;
import io.tidings.job.lake.DeadLetterEncoder;
import io.tidings.records.DeadLetter;
import io.tidings.records.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidings deadletters} and the dashboard's health answer over a lake whose dead letters
 * include one of a line cut at 16 MiB: that one JSON line is tens of MB (the bytes as text and as
 * base64), past DuckDB's default object limit, which made every dead letter unreadable.
 */
class DeadLettersCommandTest {
    @TempDir
    Path dir;

    @Test
    void aDeadLetterOfACutLineDoesNotHideTheOthers() throws Exception {
        Path lake = dir.resolve("lake");
        Path folder = Files.createDirectories(lake.resolve("_deadletter/dt=2026-12-04"));
        byte[] cut = new byte[16 * 1024 * 1024];
        Arrays.fill(cut, (byte) 'x');
        DeadLetterEncoder encoder = new DeadLetterEncoder();
        try (OutputStream out = Files.newOutputStream(folder.resolve("part-0-0.jsonl"))) {
            encoder.encode(new DeadLetter(RawRecord.unreadable("file:/in/big.jsonl", "line 2", cut,
                    "the line is 17,825,792 bytes, over the 16,777,216 a line may have", 1L), "the line is 17,825,792 bytes,"
                    + " over the 16,777,216 a line may have", 1_764_800_000_000L), out);
            encoder.encode(new DeadLetter(new RawRecord("file:/in/small.jsonl", "line 9", "{not json".getBytes(StandardCharsets.UTF_8), 1L),
                    "invalid JSON", 1_764_800_000_001L), out);
        }
        assertThat(Files.size(folder.resolve("part-0-0.jsonl"))).isGreaterThan(16L * 1024 * 1024 * 2);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new TidingsCli()).execute("deadletters", "--lake", lake.toString());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("invalid JSON").contains("the line is N,N,N bytes").contains("small.jsonl").contains("big.jsonl");

        try (Dashboard dashboard = Dashboard.start(Dashboard.Options.local(lake))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(dashboard.url() + "api/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("invalid JSON").contains("\"count\":2");
        }
    }
}
