package io.tidings.source.x.reader;

import static io.tidings.source.x.testing.FakeXServer.tweet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.source.common.SecretToken;
import io.tidings.source.common.testing.TestReaderContext;
import io.tidings.source.common.testing.CollectingOutput;
import io.tidings.records.RawRecord;
import io.tidings.source.x.source.XBearerToken;
import io.tidings.source.x.source.XStreamSource;
import io.tidings.source.x.split.XStreamSplit;
import io.tidings.testing.MotoExtension;
import io.tidings.source.x.testing.FakeXServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.SourceReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code secretsmanager:} bearer tokens against moto's server mode: the secret is read with the SDK's
 * default region and credentials chains (here the {@code aws.*} system properties) at the endpoint
 * named by {@code tidings.secretsmanager.endpoint}.
 */
class XBearerTokenSecretsManagerTest {
    private static final String PLAIN_NAME = "tidings/x-bearer-token";
    private static final String PLAIN_VALUE = "plain-token-1234567890";
    private static final String JSON_NAME = "tidings/x-bearer-token-json";
    private static final String JSON_TOKEN = FakeXServer.TOKEN;
    private static final String JSON_OTHER = "other-value-not-for-messages";
    @RegisterExtension
    static final MotoExtension moto = new MotoExtension().withDefaultChain();
    private static String plainArn;
    private static String jsonArn;

    @BeforeAll
    static void createSecrets() {
        SecretsManagerClient sm = moto.client(SecretsManagerClient.builder());
        plainArn = sm.createSecret(r -> r.name(PLAIN_NAME).secretString("  " + PLAIN_VALUE + "\n")).arn();
        jsonArn = sm.createSecret(r -> r.name(JSON_NAME)
                .secretString("{\"token\":\"" + JSON_TOKEN + "\",\"other\":\"" + JSON_OTHER + "\"}")).arn();
        moto.setProperty(XBearerToken.SECRETS_MANAGER_ENDPOINT_PROPERTY, moto.endpoint().toString());
    }

    @Test
    void resolvesAPlainSecretByNameAndByArn() {
        assertThat(plainArn).startsWith("arn:aws:secretsmanager:us-east-1:").contains(PLAIN_NAME);
        SecretToken byName = XBearerToken.parse("secretsmanager:" + PLAIN_NAME);
        assertThat(byName.resolve()).isEqualTo(PLAIN_VALUE);
        assertThat(byName.describe()).isEqualTo("bearer token from AWS Secrets Manager secret " + PLAIN_NAME);
        assertThat(XBearerToken.parse("secretsmanager:" + plainArn).resolve()).isEqualTo(PLAIN_VALUE);
    }

    @Test
    void resolvesAKeyOfAJsonSecret() {
        SecretToken token = XBearerToken.parse("secretsmanager:" + JSON_NAME + "#token");
        assertThat(token.resolve()).isEqualTo(JSON_TOKEN);
        assertThat(token.toString()).contains(JSON_NAME, "key token").doesNotContain(JSON_TOKEN);
        assertThat(XBearerToken.parse("secretsmanager:" + jsonArn + "#other").resolve()).isEqualTo(JSON_OTHER);
    }

    @Test
    void anArnUsesItsOwnRegion() {
        System.setProperty("aws.region", "eu-west-1");
        try {
            assertThat(XBearerToken.parse("secretsmanager:" + plainArn).resolve()).isEqualTo(PLAIN_VALUE);
            // By name the default region chain applies, and moto keeps the secret in us-east-1 only.
            assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:" + PLAIN_NAME).resolve())
                    .hasMessageContaining("secret " + PLAIN_NAME + " (the X bearer token) was not found in region eu-west-1");
        } finally {
            System.setProperty("aws.region", "us-east-1");
        }
    }

    @Test
    void aMissingSecretIsNamed() {
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:tidings/no-such-secret").resolve())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS Secrets Manager secret tidings/no-such-secret (the X bearer token) was not found");
    }

    @Test
    void jsonMismatchesAreExplainedWithoutShowingValues() {
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:" + JSON_NAME).resolve())
                .hasMessageContaining("holds JSON")
                .hasMessageContaining("secretsmanager:" + JSON_NAME + "#token")
                .hasMessageNotContaining(JSON_TOKEN).hasMessageNotContaining(JSON_OTHER);
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:" + JSON_NAME + "#nope").resolve())
                .hasMessageContaining("has no key 'nope'; its keys are [token, other]")
                .hasMessageNotContaining(JSON_TOKEN).hasMessageNotContaining(JSON_OTHER);
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:" + PLAIN_NAME + "#token").resolve())
                .hasMessageContaining("is not a JSON object")
                .hasMessageNotContaining(PLAIN_VALUE)
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void theSourceReadsTheSecretOnlyWhenTheReaderOpens() throws Exception {
        XStreamSource source = XStreamSource.builder()
                .bearerTokenFrom("secretsmanager:" + jsonArn + "#token")
                .rule("cats", "cats")
                .requestTimeout(Duration.ofSeconds(5))
                .apiBase("http://127.0.0.1:1")
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(source);
        }
        assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).doesNotContain(JSON_TOKEN);
        assertThat(source.config().toString()).doesNotContain(JSON_TOKEN);

        try (FakeXServer server = new FakeXServer()) {
            server.nextStream().line(tweet("1861234567810", "a", "cats")).thenHang();
            XStreamSource shipped = XStreamSource.builder()
                    .bearerTokenFrom(roundTrip(XBearerToken.parse("secretsmanager:" + jsonArn + "#token")))
                    .apiBase(server.uri()).rule("cats", "cats").syncRules(false).gapFill(false)
                    .requestTimeout(Duration.ofSeconds(5)).build();
            SourceReader<RawRecord, XStreamSplit> reader = shipped.createReader(new TestReaderContext());
            reader.start();
            reader.addSplits(List.of(XStreamSplit.fresh()));
            CollectingOutput<RawRecord> out = new CollectingOutput<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (out.records.isEmpty()) {
                assertThat(System.currentTimeMillis()).as("a post within 15 s, got none").isLessThan(deadline);
                reader.isAvailable().get();
                reader.pollNext(out);
            }
            assertThat(out.records.get(0).position).isEqualTo("tweet 1861234567810");
            reader.close();
        }
    }

    @Test
    void specsAreChecked() {
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a secret name or ARN");
        assertThatThrownBy(() -> XBearerToken.parse("secretsmanager:tidings/x#"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a JSON key after '#'");
        assertThatThrownBy(() -> XBearerToken.parse(" "))
                .hasMessageContaining("'secretsmanager:<secret-id-or-arn>[#json-key]'");
    }

    private static SecretToken roundTrip(SecretToken token) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(token);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SecretToken) in.readObject();
        }
    }
}
