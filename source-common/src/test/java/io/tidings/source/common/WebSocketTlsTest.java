package io.tidings.source.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.common.WebSocketConnectionTest.Recording;
import io.tidings.source.common.testing.WebSocketFrames;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebSocketConnection} over TLS (Bluesky's and Mastodon's {@code wss://}) against a real TLS
 * server in the test: self-signed certificates made with the JDK's {@code keytool}, an {@link
 * SSLServerSocket} serving the raw server of {@link WebSocketConnectionTest}, and a client that
 * trusts what the test says (the package-private {@code open} with its own socket factory). Also the
 * CONNECT tunnel through an HTTP proxy (a proxy written here) and the handshake timeouts.
 */
class WebSocketTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ProxySelector DIRECT = HttpClient.Builder.NO_PROXY;

    @TempDir
    static Path dir;
    /** Names localhost and tidings-test.invalid (a name only the proxy test's tunnel reaches); trusted. */
    private static KeyStore localhost;
    /** Names elsewhere.example only; trusted. */
    private static KeyStore elsewhere;
    /** Names localhost, but is in no trust store. */
    private static KeyStore untrusted;
    /** The client's: trusts localhost's and elsewhere's certificates. */
    private static SSLSocketFactory trusting;

    @BeforeAll
    static void certificates() throws Exception {
        localhost = selfSigned("localhost", "dns:localhost,dns:tidings-test.invalid");
        elsewhere = selfSigned("elsewhere", "dns:elsewhere.example");
        untrusted = selfSigned("untrusted", "dns:localhost");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("localhost", localhost.getCertificate("localhost"));
        trust.setCertificateEntry("elsewhere", elsewhere.getCertificate("elsewhere"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        trusting = context.getSocketFactory();
    }

    /** A key pair and a self-signed certificate for {@code san} (keytool's -ext syntax), made by the JDK's keytool. */
    private static KeyStore selfSigned(String alias, String san) throws Exception {
        Path file = dir.resolve(alias + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
        assertThat(keytool.exitValue()).as("keytool: %s", output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /**
     * A TLS server socket on the loopback address with {@code identity}'s certificate; the host names
     * clients ask for (SNI) land in {@code sni}.
     */
    private static SSLServerSocket tlsServer(KeyStore identity, List<String> sni) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        SSLParameters parameters = server.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(0 /* host_name */) {
            @Override
            public boolean matches(SNIServerName name) {
                sni.add(((SNIHostName) name).getAsciiName());
                return true;
            }
        }));
        server.setSSLParameters(parameters);
        return server;
    }

    @Test
    void textOverTlsArrivesIntactInPartsAndLargeAndTheServersCloseIsSeenWithSniSent() throws Exception {
        List<String> sni = Collections.synchronizedList(new ArrayList<>());
        List<String> head = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> closeAnswer = new CompletableFuture<>();
        // Longer than a TLS record (16 KiB) and than a 2-byte frame length: one frame over many records.
        String large = "\u00e9\uD83D\uDC08\u20ac".repeat(10_000);
        try (SSLServerSocket server = tlsServer(localhost, sni)) {
            WebSocketConnectionTest.serveOne(server, null, head, (in, out) -> {
                WebSocketFrames.writeText(out, "caf\u00e9 \uD83D\uDC08 \u20ac", 4); // cut inside the multi-byte characters
                WebSocketFrames.writeText(out, large, 7);
                WebSocketFrames.writeText(out, large, 1);
                WebSocketFrames.writeClose(out, 1000, "bye");
                WebSocketFrames.Frame f = WebSocketFrames.read(in);
                closeAnswer.complete(f == null || f.opcode() != WebSocketFrames.CLOSE ? -1
                        : ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff));
            });
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream?x=1");
            WebSocketConnection c = WebSocketConnection.open(uri, TIMEOUT, Map.of("Authorization", "Bearer t"),
                    DIRECT, trusting);
            Recording handler = new Recording(false);
            WebSocketConnection.Ending ending = c.readUntilEnd(10_000, () -> true, handler);
            c.abort();
            assertThat(handler.seen).containsExactly("1: caf\u00e9 \uD83D\uDC08 \u20ac", "2: " + large, "3: " + large);
            assertThat(ending.failure()).isFalse();
            assertThat(ending.reason()).isEqualTo("closed by the server (code 1000, bye) after 3 messages");
            assertThat(closeAnswer.get(5, TimeUnit.SECONDS)).as("the client's close frame answering the server's").isEqualTo(1000);
            assertThat(sni).containsExactly("localhost");
            assertThat(head).contains("GET /stream?x=1 HTTP/1.1", "Host: localhost:" + server.getLocalPort(),
                    "Authorization: Bearer t");
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedThoughTrusted() throws Exception {
        try (SSLServerSocket server = tlsServer(elsewhere, new ArrayList<>())) {
            WebSocketConnectionTest.serveOne(server, null, new ArrayList<>(), (in, out) -> { });
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream");
            long start = System.nanoTime();
            assertThatThrownBy(() -> WebSocketConnection.open(uri, TIMEOUT, Map.of(), DIRECT, trusting))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("No subject alternative DNS name matching localhost");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT); // refused, not timed out
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedAndTheDefaultTrustStoreTrustsNoSelfSignedOne() throws Exception {
        try (SSLServerSocket server = tlsServer(untrusted, new ArrayList<>())) {
            WebSocketConnectionTest.serveOne(server, null, new ArrayList<>(), (in, out) -> { });
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream");
            long start = System.nanoTime();
            assertThatThrownBy(() -> WebSocketConnection.open(uri, TIMEOUT, Map.of(), DIRECT, trusting))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("unable to find valid certification path");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
        }
        // The sources' way in (the JVM's trust store): the test's own certificate is not trusted there either.
        try (SSLServerSocket server = tlsServer(localhost, new ArrayList<>())) {
            WebSocketConnectionTest.serveOne(server, null, new ArrayList<>(), (in, out) -> { });
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream");
            assertThatThrownBy(() -> WebSocketConnection.open(uri, TIMEOUT, Map.of()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("unable to find valid certification path");
        }
    }

    @Test
    void aServerThatNeverAnswersTheTlsHelloOrTheUpgradeTimesOutWithTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a byte back
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI uri = URI.create("wss://localhost:" + silent.getLocalPort() + "/stream");
            long start = System.nanoTime();
            assertThatThrownBy(() -> WebSocketConnection.open(uri, Duration.ofMillis(500), Map.of(), DIRECT, trusting))
                    .isInstanceOf(IOException.class)
                    .hasMessage("opening handshake timed out after 500 ms in the TLS handshake with localhost:"
                            + silent.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(4));
            for (Socket s : accepted) {
                s.close();
            }
        }
        // TLS done, but no answer to the WebSocket upgrade.
        try (SSLServerSocket server = tlsServer(localhost, new ArrayList<>())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(); // completes the TLS handshake, then stays silent
                    Thread.sleep(10_000);
                } catch (Exception e) {
                    // the test ended
                }
            });
            t.setDaemon(true);
            t.start();
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream");
            long start = System.nanoTime();
            assertThatThrownBy(() -> WebSocketConnection.open(uri, Duration.ofMillis(500), Map.of(), DIRECT, trusting))
                    .isInstanceOf(IOException.class)
                    .hasMessage("opening handshake timed out after 500 ms in the WebSocket handshake with localhost:"
                            + server.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    /**
     * An HTTP proxy for one connection: records the CONNECT request's head, answers {@code answer}, and
     * when that is a 200 pipes the tunnel to {@code target} on the loopback address whatever host was
     * asked for (so a name that does not resolve here still reaches the test's server).
     */
    private static void proxyOne(ServerSocket proxy, String answer, int target, List<String> head) {
        Thread t = new Thread(() -> {
            try (Socket client = proxy.accept()) {
                InputStream in = client.getInputStream();
                for (String line = WebSocketFrames.readLine(in); !line.isEmpty(); line = WebSocketFrames.readLine(in)) {
                    head.add(line);
                }
                client.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                if (!answer.startsWith("HTTP/1.1 200")) {
                    return;
                }
                try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
                    Thread back = new Thread(() -> pipe(upstream, client));
                    back.setDaemon(true);
                    back.start();
                    pipe(client, upstream);
                    back.join(10_000);
                }
            } catch (Exception e) {
                // the test ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Test
    void wssGoesThroughAnHttpProxysConnectTunnelWithTheHostsNameForSniAndTheCertificate() throws Exception {
        List<String> sni = Collections.synchronizedList(new ArrayList<>());
        List<String> proxied = Collections.synchronizedList(new ArrayList<>());
        List<String> head = Collections.synchronizedList(new ArrayList<>());
        try (SSLServerSocket server = tlsServer(localhost, sni);
                ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            WebSocketConnectionTest.serveOne(server, null, head, (in, out) -> {
                WebSocketFrames.writeText(out, "through the tunnel \u2713", 2);
                WebSocketFrames.writeClose(out, 1000, "");
                WebSocketFrames.read(in);
            });
            proxyOne(proxy, "HTTP/1.1 200 Connection established\r\nProxy-Agent: test\r\n\r\n", server.getLocalPort(),
                    proxied);
            // .invalid never resolves: only the proxy can reach it, so the client must not resolve it itself.
            URI uri = URI.create("wss://tidings-test.invalid:" + server.getLocalPort() + "/stream");
            WebSocketConnection c = WebSocketConnection.open(uri, TIMEOUT, Map.of(),
                    ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getLocalPort())),
                    trusting);
            Recording handler = new Recording(false);
            WebSocketConnection.Ending ending = c.readUntilEnd(10_000, () -> true, handler);
            c.abort();
            assertThat(proxied).first().isEqualTo("CONNECT tidings-test.invalid:" + server.getLocalPort() + " HTTP/1.1");
            assertThat(proxied).contains("Host: tidings-test.invalid:" + server.getLocalPort());
            assertThat(sni).containsExactly("tidings-test.invalid");
            assertThat(head).contains("Host: tidings-test.invalid:" + server.getLocalPort());
            assertThat(handler.seen).containsExactly("1: through the tunnel \u2713");
            assertThat(ending.reason()).startsWith("closed by the server (code 1000)");
        }
    }

    @Test
    void theSourcesWayInHonoursTheProxySystemPropertiesAsTheJdkClientDid() throws Exception {
        List<String> proxied = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            WebSocketConnectionTest.serveOne(server, null, new ArrayList<>(), (in, out) -> {
                WebSocketFrames.writeText(out, "plain, proxied", 1);
                WebSocketFrames.writeClose(out, 1000, "");
                WebSocketFrames.read(in);
            });
            proxyOne(proxy, "HTTP/1.1 200 OK\r\n\r\n", server.getLocalPort(), proxied);
            URI uri = URI.create("ws://tidings-test.invalid:" + server.getLocalPort() + "/stream");
            // ws:// asks the JVM's proxy selector for http://host:port/: http.proxyHost, as for the JDK's client.
            String[] keys = {"http.proxyHost", "http.proxyPort"};
            String[] before = {System.getProperty(keys[0]), System.getProperty(keys[1])};
            System.setProperty(keys[0], "127.0.0.1");
            System.setProperty(keys[1], String.valueOf(proxy.getLocalPort()));
            WebSocketConnection c;
            try {
                c = WebSocketConnection.open(uri, TIMEOUT, Map.of());
            } finally {
                for (int i = 0; i < keys.length; i++) {
                    if (before[i] == null) {
                        System.clearProperty(keys[i]);
                    } else {
                        System.setProperty(keys[i], before[i]);
                    }
                }
            }
            Recording handler = new Recording(false);
            c.readUntilEnd(10_000, () -> true, handler);
            c.abort();
            assertThat(proxied).first().isEqualTo("CONNECT tidings-test.invalid:" + server.getLocalPort() + " HTTP/1.1");
            assertThat(handler.seen).containsExactly("1: plain, proxied");
        }
    }

    @Test
    void aProxyThatRefusesTheTunnelIsAClearErrorNotTheServersRefusal() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            proxyOne(proxy, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=x\r\n"
                    + "Content-Length: 0\r\n\r\n", -1, new ArrayList<>());
            URI uri = URI.create("wss://tidings-test.invalid/stream");
            assertThatThrownBy(() -> WebSocketConnection.open(uri, TIMEOUT, Map.of(),
                    ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.getLocalPort())),
                    trusting))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(WebSocketConnection.HandshakeRefusedException.class)
                    .hasMessage("the HTTP proxy 127.0.0.1:" + proxy.getLocalPort() + " refused the tunnel to"
                            + " tidings-test.invalid:443: HTTP/1.1 407 Proxy Authentication Required"
                            + " (proxy authentication is not supported)");
        }
    }

    @Test
    void aRedirectIsNotFollowedButGivenBackWithItsLocation() throws Exception {
        try (SSLServerSocket server = tlsServer(localhost, new ArrayList<>())) {
            WebSocketConnectionTest.serveOne(server, "HTTP/1.1 301 Moved Permanently\r\nLocation: wss://localhost/other\r\n"
                    + "Content-Length: 0\r\n\r\n", new ArrayList<>(), (in, out) -> { });
            URI uri = URI.create("wss://localhost:" + server.getLocalPort() + "/stream");
            assertThatThrownBy(() -> WebSocketConnection.open(uri, TIMEOUT, Map.of(), DIRECT, trusting))
                    .isInstanceOfSatisfying(WebSocketConnection.HandshakeRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(301);
                        assertThat(e.headers().firstValue("location")).hasValue("wss://localhost/other");
                    });
        }
    }
}
