package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.dashboard.fixture.FixtureLake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another web page can make the user's browser send to a dashboard on 127.0.0.1, written as
 * raw HTTP so every header is what a browser would send (the JDK client will not set Host):
 * none of it runs a query, and every answer, Jetty's own error pages too, carries the security
 * headers.
 */
class CrossSiteRequestTest {
    private static final String SQL_BODY = "{\"sql\": \"SELECT count(*) FROM posts\"}";

    @TempDir
    static Path lake;
    static Dashboard dashboard;
    static Dashboard withToken;

    @BeforeAll
    static void start() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        dashboard = Dashboard.start(Dashboard.Options.local(lake));
        withToken = Dashboard.start(new Dashboard.Options(lake, "127.0.0.1", 0, "cross-site-token", List.of(), null, null));
    }

    @AfterAll
    static void stop() {
        dashboard.close();
        withToken.close();
    }

    record Raw(int status, Map<String, String> headers, String body) {}

    @Test
    void queriesSentOnAnotherSitesBehalfAreRefusedAndNeverRun() throws Exception {
        String self = "127.0.0.1:" + dashboard.port();
        long before = dashboard.sqlStatementsRun();
        // A page may POST text/plain anywhere without a preflight: refused by type.
        assertThat(post(dashboard, self, "text/plain;charset=UTF-8", Map.of("Origin", "http://evil.example")).status()).isEqualTo(403);
        assertThat(post(dashboard, self, "text/plain", Map.of()).status()).isEqualTo(415);
        assertThat(post(dashboard, self, "application/x-www-form-urlencoded", Map.of()).status()).isEqualTo(415);
        assertThat(post(dashboard, self, "multipart/form-data; boundary=x", Map.of()).status()).isEqualTo(415);
        // JSON from another origin or site, had a preflight let it through.
        assertThat(post(dashboard, self, "application/json", Map.of("Origin", "http://evil.example")).status()).isEqualTo(403);
        assertThat(post(dashboard, self, "application/json", Map.of("Origin", "null")).status()).isEqualTo(403);
        assertThat(post(dashboard, self, "application/json", Map.of("Origin", "http://localhost:" + dashboard.port())).status())
                .isEqualTo(403);
        assertThat(post(dashboard, self, "application/json", Map.of("Sec-Fetch-Site", "cross-site")).status()).isEqualTo(403);
        assertThat(post(dashboard, self, "application/json", Map.of("Sec-Fetch-Site", "same-site")).status()).isEqualTo(403);
        // The download is a GET: an <img> or a link on another site.
        String download = "/api/sql/download?format=csv&sql=SELECT%201";
        assertThat(get(dashboard, self, download, Map.of("Sec-Fetch-Site", "cross-site")).status()).isEqualTo(403);
        assertThat(get(dashboard, self, "/api/overview", Map.of("Sec-Fetch-Site", "cross-site")).status()).isEqualTo(403);
        // DNS rebinding: evil.example now resolves to 127.0.0.1; the browser sends its name.
        for (String host : List.of("evil.example", "evil.example:" + dashboard.port(), "127.0.0.1.evil.example",
                "localhost.evil.example:" + dashboard.port(), "127.0.0.1:80@evil.example", "")) {
            Raw rebound = get(dashboard, host, "/api/overview", Map.of());
            assertThat(rebound.status()).as("Host: " + host).isIn(400, 403);
            assertThat(post(dashboard, host, "application/json", Map.of()).status()).as("Host: " + host).isIn(400, 403);
        }
        // A second Origin or Sec-Fetch-Site behind an innocent first one (only a proxy could send
        // that), and a foreign host in an absolute request target.
        String body = "Content-Type: application/json\r\nContent-Length: " + SQL_BODY.length() + "\r\nConnection: close\r\n\r\n" + SQL_BODY;
        assertThat(request(dashboard, "POST /api/sql HTTP/1.1\r\nHost: " + self + "\r\nOrigin: http://" + self
                + "\r\nOrigin: http://evil.example\r\n" + body).status()).isIn(400, 403);
        assertThat(request(dashboard, "POST /api/sql HTTP/1.1\r\nHost: " + self + "\r\nSec-Fetch-Site: none"
                + "\r\nSec-Fetch-Site: cross-site\r\n" + body).status()).isIn(400, 403);
        assertThat(request(dashboard, "POST http://evil.example/api/sql HTTP/1.0\r\n" + body).status()).isIn(400, 403);
        assertThat(request(dashboard, "POST http://evil.example:" + dashboard.port() + "/api/sql HTTP/1.1\r\nHost: evil.example\r\n"
                + body).status()).isIn(400, 403);
        assertThat(dashboard.sqlStatementsRun()).isEqualTo(before);

        // The page itself: same origin, JSON, by address or by name.
        for (String host : List.of(self, "localhost:" + dashboard.port(), "[::1]:" + dashboard.port())) {
            Raw ok = post(dashboard, host, "application/json", Map.of("Origin", "http://" + host, "Sec-Fetch-Site", "same-origin"));
            assertThat(ok.status()).as("Host: " + host + " " + ok.body()).isEqualTo(200);
        }
        assertThat(post(dashboard, self, "application/json; charset=utf-8", Map.of()).status()).isEqualTo(200);
        assertThat(get(dashboard, self, download, Map.of("Sec-Fetch-Site", "same-origin")).status()).isEqualTo(200);
        assertThat(get(dashboard, self, "/api/overview", Map.of("Sec-Fetch-Site", "none")).status()).isEqualTo(200);
        assertThat(dashboard.sqlStatementsRun()).isEqualTo(before + 5);
    }

    @Test
    void noCorsIsEverGranted() throws Exception {
        String self = "127.0.0.1:" + dashboard.port();
        Raw preflight = request(dashboard, "OPTIONS /api/sql HTTP/1.1\r\nHost: " + self + "\r\nOrigin: http://evil.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n");
        assertThat(preflight.headers()).doesNotContainKey("access-control-allow-origin");
        Raw answer = get(dashboard, self, "/api/overview", Map.of());
        assertThat(answer.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void aTokenStandsInForTheHostCheck() throws Exception {
        Raw without = get(withToken, "dashboard.example", "/api/overview", Map.of());
        assertThat(without.status()).isEqualTo(401);
        Raw with = get(withToken, "dashboard.example", "/api/overview", Map.of("Authorization", "Bearer cross-site-token"));
        assertThat(with.status()).as(with.body()).isEqualTo(200);
        // Still no cross-site requests, token or not.
        assertThat(get(withToken, "dashboard.example", "/api/overview",
                Map.of("Authorization", "Bearer cross-site-token", "Sec-Fetch-Site", "cross-site")).status()).isEqualTo(403);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersJettysOwnErrorsToo() throws Exception {
        String self = "127.0.0.1:" + dashboard.port();
        List<Raw> answers = List.of(
                get(dashboard, self, "/", Map.of()),
                get(dashboard, self, "/api/overview", Map.of()),
                get(dashboard, self, "/no/such/page", Map.of()),
                get(dashboard, "evil.example", "/", Map.of()),
                post(dashboard, self, "text/plain", Map.of()),
                // Refused by Jetty before any route: a malformed path, a header line too long, a bad request line.
                request(dashboard, "GET /%zz HTTP/1.1\r\nHost: " + self + "\r\nConnection: close\r\n\r\n"),
                request(dashboard, "GET / HTTP/1.1\r\nHost: " + self + "\r\nX-Big: " + "a".repeat(64 * 1024)
                        + "\r\nConnection: close\r\n\r\n"),
                request(dashboard, "GET / HTTP/1.1 extra\r\nHost: " + self + "\r\nConnection: close\r\n\r\n"),
                request(dashboard, "GET /..%2f..%2fetc/passwd HTTP/1.1\r\nHost: " + self + "\r\nConnection: close\r\n\r\n"));
        for (Raw answer : answers) {
            assertThat(answer.headers()).as(answer.status() + " " + answer.body())
                    .containsEntry("content-security-policy", RequestGuard.CONTENT_SECURITY_POLICY)
                    .containsEntry("x-content-type-options", "nosniff")
                    .containsEntry("x-frame-options", "DENY");
        }
        assertThat(answers.get(5).status()).isEqualTo(400);
        assertThat(answers.get(6).status()).isEqualTo(431);
    }

    private static Raw post(Dashboard d, String host, String contentType, Map<String, String> headers) throws IOException {
        byte[] body = SQL_BODY.getBytes(StandardCharsets.UTF_8);
        return request(d, "POST /api/sql HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + contentType + "\r\n"
                + lines(headers) + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + SQL_BODY);
    }

    private static Raw get(Dashboard d, String host, String path, Map<String, String> headers) throws IOException {
        return request(d, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + lines(headers) + "Connection: close\r\n\r\n");
    }

    private static String lines(Map<String, String> headers) {
        StringBuilder out = new StringBuilder();
        headers.forEach((k, v) -> out.append(k).append(": ").append(v).append("\r\n"));
        return out.toString();
    }

    /** Sends the bytes as they are and reads the answer until the server closes. */
    private static Raw request(Dashboard d, String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", d.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
                }
            }
            return new Raw(Integer.parseInt(head[0].split(" ")[1]), headers, end < 0 ? "" : text.substring(end + 4));
        }
    }
}
