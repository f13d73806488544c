package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.dashboard.fixture.FixtureLake;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Off loopback, every request needs the token. */
class TokenTest {
    @TempDir
    Path lake;

    @Test
    void nonLoopbackBindNeedsAToken() {
        assertThatThrownBy(() -> Dashboard.start(new Dashboard.Options(lake, "0.0.0.0", 0, null, List.of(), null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    }

    @Test
    void everyRequestIsChecked() throws Exception {
        FixtureLake.writeSample(lake, Instant.parse("2026-11-26T12:00:00Z"));
        try (Dashboard d = Dashboard.start(new Dashboard.Options(lake, "0.0.0.0", 0, "s3cret-token", List.of(), null, null))) {
            URI base = URI.create("http://127.0.0.1:" + d.port() + "/");
            for (String path : List.of("/", "/index.html", "/api/overview", "/api/lake-version", "/api/openapi.json", "/api/nothing")) {
                var answer = Http.get(base, path);
                assertThat(answer.status()).as(path).isEqualTo(401);
                assertThat(answer.body()).as(path).contains("token").doesNotContain("posts");
            }
            assertThat(Http.postJson(base, "/api/sql", java.util.Map.of("sql", "SELECT 1")).status()).isEqualTo(401);
            for (String wrong : List.of("s3cret-toke", "s3cret-token2", "S3CRET-TOKEN", "")) {
                var answer = Http.send(HttpRequest.newBuilder(base.resolve("/api/overview"))
                        .header("Authorization", "Bearer " + wrong).build());
                assertThat(answer.status()).as(wrong).isEqualTo(401);
            }
            var bearer = Http.send(HttpRequest.newBuilder(base.resolve("/api/overview"))
                    .header("Authorization", "Bearer s3cret-token").build());
            assertThat(bearer.status()).as(bearer.body()).isEqualTo(200);
            assertThat(bearer.json().get("posts").asLong()).isEqualTo(11);
            var once = Http.get(base, "/?token=s3cret-token");
            assertThat(once.status()).isEqualTo(200);
            String cookie = once.response().headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
            var withCookie = Http.send(HttpRequest.newBuilder(base.resolve("/api/overview"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build());
            assertThat(withCookie.status()).isEqualTo(200);
            assertThat(Http.get(base, "/api/overview?token=wrong").status()).isEqualTo(401);
        }
    }
}
