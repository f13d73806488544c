package io.tidings.source.x.reader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.annotation.Internal;

/**
 * The few X API v2 calls the source makes, over {@link HttpClient} with the app's bearer token.
 * The token goes into the Authorization header and nowhere else (never a log line or exception).
 */
@Internal
public final class XApiClient {
    static final String USER_AGENT = "tidings-source-twitter/0.1";

    private final URI apiBase;
    private final String bearerToken;
    private final Duration requestTimeout;
    private final HttpClient http;

    public XApiClient(URI apiBase, String bearerToken, Duration requestTimeout) {
        String base = apiBase.toString();
        this.apiBase = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.bearerToken = bearerToken;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI apiBase() {
        return apiBase;
    }

    /** A plain request's answer. */
    public record Response(int status, String body, HttpHeaders headers) {
        /** A numeric header such as {@code x-rate-limit-reset}, or null. */
        public Long longHeader(String name) {
            return parseLong(headers.firstValue(name).orElse(null));
        }
    }

    public Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET().build());
    }

    public Response post(String pathAndQuery, String json) throws IOException, InterruptedException {
        return send(request(pathAndQuery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build());
    }

    /** A streaming response: status and headers, and the body to poll (cancel it when done). */
    public record StreamResponse(int status, HttpHeaders headers, XStreamBody body) {
        public Long longHeader(String name) {
            return parseLong(headers.firstValue(name).orElse(null));
        }
    }

    /** Opens a streaming GET; waits at most the request timeout for the response headers. */
    public StreamResponse openStream(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Authorization", "Bearer " + bearerToken)
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        CompletableFuture<HttpResponse<XStreamBody>> pending = http.sendAsync(req, info -> new XStreamBody());
        try {
            HttpResponse<XStreamBody> resp = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new StreamResponse(resp.statusCode(), resp.headers(), resp.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no response headers within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + bearerToken)
                .header("User-Agent", USER_AGENT);
    }

    private Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(resp.statusCode(), resp.body(), resp.headers());
    }

    private URI uri(String pathAndQuery) {
        return URI.create(apiBase + pathAndQuery);
    }

    static Long parseLong(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
