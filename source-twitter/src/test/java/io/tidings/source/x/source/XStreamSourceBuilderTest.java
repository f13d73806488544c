package io.tidings.source.x.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.common.SecretToken;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XStreamSourceBuilderTest {
    @Test
    void buildsWithDefaults() {
        XStreamSource source = XStreamSource.builder().bearerToken("secret-abc").rule("cats", "cats").build();
        XStreamSourceConfig c = source.config();
        assertThat(c.apiBase().toString()).isEqualTo("https://api.x.com");
        assertThat(c.mode()).isEqualTo(XSourceMode.STREAM);
        assertThat(c.gapFill()).isTrue();
        assertThat(c.stallTimeoutMs()).isEqualTo(20_000);
        assertThat(c.toString()).doesNotContain("secret-abc");
        assertThat(c.bearerToken().resolve()).isEqualTo("secret-abc");
    }

    @Test
    void reportsEveryProblemReadably() {
        assertThatThrownBy(() -> XStreamSource.builder()
                .rules(List.of(XRule.of("cats", "a"), XRule.of("dogs", "a"), XRule.of("x".repeat(1025), "long")))
                .apiBase("ftp://example.com")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bearer token")
                .hasMessageContaining("\"secretsmanager:<secret-id-or-arn>[#json-key]\"")
                .hasMessageContaining("apiBase must be an http(s) URI")
                .hasMessageContaining("two rules share the tag 'a'")
                .hasMessageContaining("1025 characters; X allows 1024");
        assertThatThrownBy(() -> XStreamSource.builder().bearerToken("t").build()).hasMessageContaining("no rules");
    }

    @Test
    void readsTheTokenFromAFileOrNamesTheMissingVariable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "file-token\n");
        assertThat(XStreamSource.builder().bearerTokenFrom("file:" + file).rule("c", "c").build()
                .config().bearerToken().resolve()).isEqualTo("file-token");
        SecretToken env = XBearerToken.parse("TIDINGS_TEST_SURELY_UNSET_VARIABLE");
        assertThat(env.describe()).contains("environment variable TIDINGS_TEST_SURELY_UNSET_VARIABLE");
        assertThatThrownBy(env::resolve).hasMessageContaining("TIDINGS_TEST_SURELY_UNSET_VARIABLE (the X bearer token) is not set");
    }

    @Test
    void isSerializable() throws Exception {
        XStreamSource source = XStreamSource.builder().bearerTokenFrom("env:X_BEARER_TOKEN").rule("c", "c").build();
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(source);
        }
    }
}
