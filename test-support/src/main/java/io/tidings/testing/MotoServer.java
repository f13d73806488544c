package io.tidings.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * moto's server mode (a local emulator of AWS APIs: Glue, Secrets Manager and more; PyPI {@code
 * moto[server]}) as a process on 127.0.0.1 and a free port, for the tests of the modules that talk
 * to AWS. Found through {@code MOTO_SERVER}, the virtual environment {@code make test} installs
 * ({@code ~/.cache/tidings/moto-venv}), or the PATH.
 */
public final class MotoServer implements AutoCloseable {
    private final ServerProcess process;
    public final URI endpoint;

    private MotoServer(ServerProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Whether a missing tool fails the test ({@code TIDINGS_REQUIRE_TOOLS=1}, set by CI) rather than skipping it. */
    public static boolean required() {
        return "1".equals(System.getenv("TIDINGS_REQUIRE_TOOLS"));
    }

    public static Optional<Path> find() {
        String explicit = System.getenv("MOTO_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        Path inVenv = Path.of(System.getProperty("user.home"), ".cache", "tidings", "moto-venv", "bin", "moto_server");
        if (Files.isExecutable(inVenv)) {
            return Optional.of(inVenv);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "moto_server")).filter(Files::isExecutable).findFirst();
    }

    public static MotoServer start(Path motoServer, Path workDir) throws IOException, InterruptedException {
        int port = ServerProcess.freeLoopbackPort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        ServerProcess process = ServerProcess.start("moto_server",
                List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                workDir.resolve("moto.log"), endpoint.resolve("/moto-api/"), Duration.ofSeconds(30));
        return new MotoServer(process, endpoint);
    }

    /**
     * A client of this server built from {@code builder} (e.g. {@code GlueClient.builder()}):
     * moto's endpoint, us-east-1, static test credentials, the URLConnection HTTP client.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
