package io.tidings.source.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Where a source's secret token comes from (the X app's bearer token, a Mastodon access token).
 * Environment variables, files and AWS Secrets Manager secrets are resolved on the task manager when
 * the reader opens, so the token itself need not travel in the job graph. No {@code toString} (and
 * no error message) ever shows a token.
 *
 * <p>Each token says whose it is, e.g. platform {@code X} and kind {@code bearer token}, so that a
 * message names the token a person has to fix.
 */
@PublicEvolving
public abstract class SecretToken implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whose token, e.g. {@code X} or {@code Mastodon}. */
    private String platform = "";
    /** What kind of token, e.g. {@code bearer token} or {@code access token}. */
    private String kind = "token";

    /** Says whose token this is and what kind, for messages; returns this. */
    public SecretToken named(String platform, String kind) {
        this.platform = platform;
        this.kind = kind;
        return this;
    }

    /** e.g. {@code bearer token}. */
    protected final String kind() {
        return kind;
    }

    /** e.g. {@code the X bearer token}. */
    protected final String what() {
        return "the " + (platform.isEmpty() ? "" : platform + " ") + kind;
    }

    /** The token itself (it then travels, serialized, inside the job graph). */
    public static SecretToken of(String token) {
        return new Literal(token);
    }

    /** The token from an environment variable, read when the reader opens. */
    public static SecretToken fromEnv(String variable) {
        return new FromEnv(variable);
    }

    /** The token from a file (e.g. a mounted secret), read when the reader opens; surrounding whitespace is ignored. */
    public static SecretToken fromFile(String path) {
        return new FromFile(path);
    }

    /**
     * The token from an AWS Secrets Manager secret (name or ARN), read when the reader opens with the
     * AWS SDK's default credentials chain; the region is the ARN's, else the SDK's default region
     * chain ({@code aws.region}, {@code AWS_REGION}, profile, instance metadata). With a
     * {@code jsonKey}, the secret string must be a JSON object and the token is that key's string
     * value; without one, the secret string itself (surrounding whitespace ignored) is the token.
     * The system property {@value #SECRETS_MANAGER_ENDPOINT_PROPERTY} or the environment variable
     * {@value #SECRETS_MANAGER_ENDPOINT_ENV} overrides the endpoint (VPC endpoints, tests).
     */
    public static SecretToken fromSecretsManager(String secretId, String jsonKey) {
        return new FromSecretsManager(secretId, jsonKey);
    }

    /** System property naming a Secrets Manager endpoint to use instead of the region's. */
    public static final String SECRETS_MANAGER_ENDPOINT_PROPERTY = "tidings.secretsmanager.endpoint";

    /** Environment variable naming a Secrets Manager endpoint (the system property wins). */
    public static final String SECRETS_MANAGER_ENDPOINT_ENV = "TIDINGS_SECRETSMANAGER_ENDPOINT";

    /** What {@link #parse} accepts, for messages. */
    public static final String SPEC_FORMS = "'env:NAME', 'file:/path' or 'secretsmanager:<secret-id-or-arn>[#json-key]'";

    /**
     * {@code env:NAME}, {@code file:/path} or {@code secretsmanager:<secret-id-or-arn>} (optionally
     * {@code secretsmanager:<id>#<json-key>} when the secret string is a JSON object); a bare word of
     * capitals, digits and underscores is taken as an environment variable, anything else as a file path.
     */
    public static SecretToken parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("token source must be " + SPEC_FORMS + ", got nothing");
        }
        if (spec.startsWith("secretsmanager:")) {
            String rest = spec.substring("secretsmanager:".length()).strip();
            int hash = rest.indexOf('#');
            String id = hash < 0 ? rest : rest.substring(0, hash).strip();
            String key = hash < 0 ? null : rest.substring(hash + 1).strip();
            if (id.isEmpty()) {
                throw new IllegalArgumentException(
                        "token source 'secretsmanager:' needs a secret name or ARN,"
                                + " e.g. secretsmanager:tidings/x-bearer-token");
            }
            if (key != null && key.isEmpty()) {
                throw new IllegalArgumentException("token source 'secretsmanager:" + id
                        + "#' needs a JSON key after '#', e.g. secretsmanager:" + id + "#token");
            }
            return fromSecretsManager(id, key);
        }
        if (spec.startsWith("env:")) {
            return fromEnv(spec.substring(4));
        }
        if (spec.startsWith("file:")) {
            return fromFile(spec.substring(5));
        }
        return spec.matches("[A-Z_][A-Z0-9_]*") ? fromEnv(spec) : fromFile(spec);
    }

    /** The token; throws {@link IllegalStateException} with a readable message when it cannot be found. */
    public abstract String resolve();

    /** Says where the token comes from, never the token. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    static final class Literal extends SecretToken {
        private static final long serialVersionUID = 1L;
        private final String token;

        Literal(String token) {
            this.token = token;
        }

        @Override
        public String resolve() {
            if (token == null || token.isBlank()) {
                throw new IllegalStateException(what() + " is empty");
            }
            return token.strip();
        }

        @Override
        public String describe() {
            return kind() + " given in code (****)";
        }
    }

    static final class FromEnv extends SecretToken {
        private static final long serialVersionUID = 1L;
        private final String variable;

        FromEnv(String variable) {
            this.variable = variable;
        }

        @Override
        public String resolve() {
            String v = System.getenv(variable);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException("environment variable " + variable + " (" + what() + ") is not set or empty");
            }
            return v.strip();
        }

        @Override
        public String describe() {
            return kind() + " from environment variable " + variable;
        }
    }

    static final class FromFile extends SecretToken {
        private static final long serialVersionUID = 1L;
        private final String path;

        FromFile(String path) {
            this.path = path;
        }

        @Override
        public String resolve() {
            Path p = Paths.get(path);
            try {
                String v = Files.readString(p, StandardCharsets.UTF_8).strip();
                if (v.isEmpty()) {
                    throw new IllegalStateException(kind() + " file " + path + " is empty");
                }
                return v;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the " + kind() + " file " + path + ": " + e, e);
            }
        }

        @Override
        public String describe() {
            return kind() + " from file " + path;
        }
    }

    static final class FromSecretsManager extends SecretToken {
        private static final long serialVersionUID = 1L;
        private final String secretId;
        private final String jsonKey;

        FromSecretsManager(String secretId, String jsonKey) {
            if (secretId == null || secretId.isBlank()) {
                throw new IllegalArgumentException("an AWS Secrets Manager secret name or ARN is required");
            }
            if (jsonKey != null && jsonKey.isBlank()) {
                throw new IllegalArgumentException("the JSON key of secret " + secretId + " is empty");
            }
            this.secretId = secretId.strip();
            this.jsonKey = jsonKey == null ? null : jsonKey.strip();
        }

        String secretId() {
            return secretId;
        }

        Optional<String> jsonKey() {
            return Optional.ofNullable(jsonKey);
        }

        @Override
        public String resolve() {
            String what = "AWS Secrets Manager secret " + secretId + " (" + what() + ")";
            Region region = region(what);
            Optional<URI> endpoint = endpoint();
            SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                    .region(region)
                    .httpClientBuilder(UrlConnectionHttpClient.builder());
            endpoint.ifPresent(builder::endpointOverride);
            GetSecretValueResponse response;
            try (SecretsManagerClient client = builder.build()) {
                response = client.getSecretValue(r -> r.secretId(secretId));
            } catch (ResourceNotFoundException e) {
                throw new IllegalStateException(what + " was not found in region " + region
                        + endpoint.map(u -> " at " + u).orElse("") + " (or the role may not read it)", e);
            } catch (SecretsManagerException e) {
                String detail = e.awsErrorDetails() == null ? e.getMessage()
                        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
                throw new IllegalStateException("cannot read " + what + " in region " + region + ": " + detail, e);
            } catch (SdkException e) {
                throw new IllegalStateException("cannot read " + what + " in region " + region
                        + endpoint.map(u -> " at " + u).orElse("") + ": " + e.getMessage(), e);
            }
            String value = response.secretString();
            if (value == null) {
                throw new IllegalStateException(what + " has no secret string (a binary secret is not supported)");
            }
            return jsonKey == null ? plain(what, value) : fromJson(what, value);
        }

        private String plain(String what, String value) {
            String v = value.strip();
            if (v.isEmpty()) {
                throw new IllegalStateException(what + " is empty");
            }
            if (v.startsWith("{")) {
                throw new IllegalStateException(what + " holds JSON, not a bare token: name the key, e.g. secretsmanager:"
                        + secretId + "#token" + fieldNames(v));
            }
            return v;
        }

        private String fromJson(String what, String value) {
            JsonNode tree;
            try {
                tree = new ObjectMapper().readTree(value);
            } catch (IOException e) {
                // Neither the parser's message nor the exception: both can quote the secret.
                tree = null;
            }
            if (tree == null || !tree.isObject()) {
                throw new IllegalStateException(what + " is not a JSON object, so it has no key '" + jsonKey
                        + "' (use secretsmanager:" + secretId + " for a plain string)");
            }
            JsonNode node = tree.get(jsonKey);
            if (node == null || node.isNull()) {
                throw new IllegalStateException(what + " has no key '" + jsonKey + "'" + fieldNames(value));
            }
            if (!node.isTextual() || node.asText().isBlank()) {
                throw new IllegalStateException("key '" + jsonKey + "' of " + what + " is not a non-empty string");
            }
            return node.asText().strip();
        }

        /** The secret's top-level JSON field names (names, never values), for messages. */
        private static String fieldNames(String value) {
            try {
                JsonNode tree = new ObjectMapper().readTree(value);
                if (tree != null && tree.isObject()) {
                    List<String> names = new ArrayList<>();
                    tree.fieldNames().forEachRemaining(names::add);
                    return "; its keys are " + names;
                }
            } catch (IOException | RuntimeException ignored) {
                // no names to offer
            }
            return "";
        }

        private Region region(String what) {
            // arn:<partition>:secretsmanager:<region>:<account>:secret:<name>
            String[] arn = secretId.split(":", 7);
            if (arn.length == 7 && arn[0].equals("arn") && arn[2].equals("secretsmanager") && !arn[3].isEmpty()) {
                return Region.of(arn[3]);
            }
            try {
                return new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkException e) {
                throw new IllegalStateException("cannot read " + what + ": no AWS region (set AWS_REGION or aws.region, "
                        + "or give the secret's ARN): " + e.getMessage(), e);
            }
        }

        private static Optional<URI> endpoint() {
            String source = SECRETS_MANAGER_ENDPOINT_PROPERTY;
            String v = System.getProperty(SECRETS_MANAGER_ENDPOINT_PROPERTY);
            if (v == null || v.isBlank()) {
                source = SECRETS_MANAGER_ENDPOINT_ENV;
                v = System.getenv(SECRETS_MANAGER_ENDPOINT_ENV);
            }
            if (v == null || v.isBlank()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(v.strip());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(v, "not an absolute http(s) URI");
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(source
                        + " must be an endpoint URI like https://secretsmanager.eu-west-1.amazonaws.com, got " + v, e);
            }
        }

        @Override
        public String describe() {
            return kind() + " from AWS Secrets Manager secret " + secretId + (jsonKey == null ? "" : " key " + jsonKey);
        }
    }
}
