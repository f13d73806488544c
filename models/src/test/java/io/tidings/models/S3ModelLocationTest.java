package io.tidings.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code s3://} locations through the real AWS SDK v2 client against a minimal path-style S3
 * endpoint (GET object, 404 NoSuchKey) served in-process.
 */
class S3ModelLocationTest {

    private static HttpServer server;
    private static final Map<String, byte[]> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicInteger GETS = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = "GET".equals(exchange.getRequestMethod()) ? OBJECTS.get(path) : null;
            GETS.incrementAndGet();
            if (body == null) {
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                        + "<Message>The specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(404, body.length);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.setProperty("tidings.s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterAll
    static void stop() {
        System.clearProperty("tidings.s3.endpoint");
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void downloadsAModelOncePerJvmAndLoadsIt() throws IOException {
        assumeTrue(FixtureModels.tokenizerJson().isPresent());
        Path model = FixtureModels.multitask();
        for (String file : List.of("config.json", "tokenizer.json", "model.onnx")) {
            OBJECTS.put("/models-bucket/tidings/fixture/" + file, Files.readAllBytes(model.resolve(file)));
        }
        ModelLocation location = ModelLocation.parse("s3://models-bucket/tidings/fixture/");
        Path local = location.resolve();
        assertThat(local.resolve("model.onnx")).hasSameBinaryContentAs(model.resolve("model.onnx"));
        assertThat(local.resolve("parity.json")).doesNotExist(); // optional, 404 tolerated
        int gets = GETS.get();
        assertThat(ModelLocation.parse("s3://models-bucket/tidings/fixture").resolve()).isEqualTo(local);
        assertThat(GETS.get()).isEqualTo(gets);
        try (TweetModel loaded = TweetModel.load(location, 1, 8)) {
            assertThat(loaded.predict("I love Paris").sentiment()).isEqualTo("positive");
        }
    }

    @Test
    void saysWhichFileIsMissing() {
        OBJECTS.put("/models-bucket/partial/config.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelLocation.parse("s3://models-bucket/partial").resolve())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no tokenizer.json");
    }
}
