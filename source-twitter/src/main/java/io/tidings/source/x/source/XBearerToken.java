package io.tidings.source.x.source;

import io.tidings.source.common.SecretToken;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where the X app's bearer token comes from: a {@link SecretToken} (environment variable, file or AWS
 * Secrets Manager secret, resolved on the task manager) that names itself "the X bearer token" in
 * messages.
 */
@PublicEvolving
public final class XBearerToken {
    private XBearerToken() {}

    public static final String SECRETS_MANAGER_ENDPOINT_PROPERTY = SecretToken.SECRETS_MANAGER_ENDPOINT_PROPERTY;
    public static final String SECRETS_MANAGER_ENDPOINT_ENV = SecretToken.SECRETS_MANAGER_ENDPOINT_ENV;
    public static final String SPEC_FORMS = SecretToken.SPEC_FORMS;

    /** See {@link SecretToken#parse}. */
    public static SecretToken parse(String spec) {
        return named(SecretToken.parse(spec));
    }

    public static SecretToken of(String token) {
        return named(SecretToken.of(token));
    }

    public static SecretToken fromEnv(String variable) {
        return named(SecretToken.fromEnv(variable));
    }

    public static SecretToken fromFile(String path) {
        return named(SecretToken.fromFile(path));
    }

    public static SecretToken fromSecretsManager(String secretId, String jsonKey) {
        return named(SecretToken.fromSecretsManager(secretId, jsonKey));
    }

    private static SecretToken named(SecretToken token) {
        return token.named("X", "bearer token");
    }
}
