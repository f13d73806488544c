package io.tidings.glue;

import java.net.URI;
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

    /**
     * @param region an AWS region, or null for the default chain's
     * @param endpoint a Glue endpoint (a local emulator), or null for AWS
     */
    public static GlueClient create(String region, URI endpoint) {
        GlueClientBuilder builder = GlueClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
