package io.tidings.job;

import io.tidings.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for tests: S3Proxy (jar-with-dependencies, copied to {@code target/s3proxy} by the
 * build) in its own JVM on 127.0.0.1 and a free port, over jclouds' in-memory {@code transient}
 * store, checking AWS v2/v4 signatures against fixed test credentials.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "tidings-test-access";
    static final String SECRET_KEY = "tidings-test-secret";

    private final ServerProcess process;
    final String endpoint;

    private S3ProxyServer(ServerProcess process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("tidings.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar + " (mvn generate-test-resources copies it)");
        }
        int port = ServerProcess.freeLoopbackPort();
        String endpoint = "http://127.0.0.1:" + port;
        Path properties = Files.writeString(workDir.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                ""));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-jar", jar.toAbsolutePath().toString(), "--properties", properties.toString());
        // Any answer (403 without a signature) means it is serving.
        ServerProcess process = ServerProcess.start("S3Proxy", command, workDir.resolve("s3proxy.log"),
                URI.create(endpoint + "/"), Duration.ofSeconds(30));
        return new S3ProxyServer(process, endpoint);
    }

    /** An AWS SDK v2 client for this server: path style, checksums only where S3Proxy understands them. */
    S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Downloads every object under {@code prefix} into {@code into}, keeping the key's folders; returns the keys. */
    static List<String> download(S3Client s3, String bucket, String prefix, Path into) throws IOException {
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            String key = object.key();
            if (key.endsWith("/")) {
                continue; // directory markers
            }
            Path target = into.resolve(key.substring(prefix.length()));
            Files.createDirectories(target.getParent());
            s3.getObject(r -> r.bucket(bucket).key(key), target);
            keys.add(key);
        }
        return keys;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
