package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.testing.MotoExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code tidings serve --lake s3://…} that cannot start says why in one line and exits 2 when an
 * installation step is missing (DuckDB's httpfs extension), 3 when the lake cannot be read (moto as
 * S3: a bucket that does not exist). The dashboard over a readable S3 lake: S3LakeDashboardTest.
 */
class ServeCommandTest {
    @RegisterExtension
    static final MotoExtension moto = new MotoExtension().withDefaultChain();

    @TempDir
    Path dir;

    record Outcome(int code, String err) {}

    Outcome serve(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new TidingsCli()).execute(args);
            return new Outcome(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aBucketThatDoesNotExistExits3WithOneLine() {
        Outcome o = serve("serve", "--lake", "s3://no-such-bucket/lake", "--s3-endpoint", moto.endpoint().toString(),
                "--s3-path-style", "--port", "0", "--cache", dir.resolve("cache").toString());
        assertThat(o.code()).as(o.err()).isEqualTo(ExitCodes.NO_INPUT);
        assertThat(o.err()).isEqualTo("tidings: cannot read the lake s3://no-such-bucket/lake: the bucket no-such-bucket does not exist"
                + System.lineSeparator());
    }

    @Test
    void withoutTheHttpfsExtensionItExits2SayingHowToInstallIt() throws Exception {
        moto.client(S3Client.builder().forcePathStyle(true)).createBucket(r -> r.bucket("tidings-serve"));
        moto.setProperty("tidings.duckdb.extensions", Files.createDirectories(dir.resolve("no-extensions")).toString());
        Outcome o = serve("serve", "--lake", "s3://tidings-serve/lake", "--s3-endpoint", moto.endpoint().toString(),
                "--s3-path-style", "--port", "0", "--cache", dir.resolve("cache").toString());
        assertThat(o.code()).as(o.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.err()).startsWith("tidings: an s3:// lake needs DuckDB's httpfs extension, which is not installed")
                .contains("make duckdb-httpfs");
    }
}
