package io.tidings.glue;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;

/**
 * Glue clients as the CLI and the job make them: the JDK's URLConnection HTTP client (no Netty or
 * Apache client in the job jar), credentials and, unless given, the region from the AWS default chain.
 */
public final class GlueClients {
    private GlueClients() {}

    /** One HTTP attempt, and one call with the SDK's retries. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param region an AWS region, or null for the default chain's
     * @param endpoint a Glue endpoint (a local emulator), or null for AWS
     */
    public static GlueClient create(String region, URI endpoint) {
        GlueClientBuilder builder = GlueClient.builder().httpClient(UrlConnectionHttpClient.create())
                // A Glue that hangs is a fault like one that refuses: the call ends, the caller decides.
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
