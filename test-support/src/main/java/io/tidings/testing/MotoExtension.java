package io.tidings.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;

/**
 * A {@link MotoServer} for the tests of one class, as a JUnit 5 extension: started before the
 * first test ({@code @RegisterExtension static final MotoExtension moto = new MotoExtension()}),
 * stopped after the last, with the clients made by {@link #client} closed and the system
 * properties it set put back. Without moto_server the class is skipped, unless {@code
 * TIDINGS_REQUIRE_TOOLS=1} (CI: {@code make test} installs it), where that fails it.
 */
public final class MotoExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> saved = new LinkedHashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private MotoServer server;
    private Path workDir;

    /**
     * Credentials and region for the AWS default chain, which the code under test uses when it
     * builds its own clients (the CLI, the job's Glue client, the secret resolvers).
     */
    public MotoExtension withDefaultChain() {
        properties.put("aws.accessKeyId", "testing");
        properties.put("aws.secretAccessKey", "testing");
        properties.put("aws.region", "us-east-1");
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> motoServer = MotoServer.find();
        if (motoServer.isEmpty()) {
            if (MotoServer.required()) {
                throw new IllegalStateException("moto_server not found and TIDINGS_REQUIRE_TOOLS is set (see glue/README.md)");
            }
            Assumptions.abort("moto_server not installed (see glue/README.md)");
        }
        workDir = Files.createTempDirectory("moto-");
        server = MotoServer.start(motoServer.get(), workDir);
        properties.forEach(this::setProperty);
    }

    /** Sets a system property for this class's tests; the value it had is put back after them. */
    public void setProperty(String name, String value) {
        saved.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    /** moto's address, for code that takes an endpoint. */
    public java.net.URI endpoint() {
        return server.endpoint;
    }

    /** A client of moto ({@link MotoServer#client}), closed after the class's tests. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends AutoCloseable> C client(B builder) {
        C client = server.client(builder);
        clients.add(client);
        return client;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        saved.forEach((name, old) -> {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        });
        saved.clear();
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        if (server != null) {
            server.close();
            server = null;
        }
        if (workDir != null) {
            try (var files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            workDir = null;
        }
    }
}
