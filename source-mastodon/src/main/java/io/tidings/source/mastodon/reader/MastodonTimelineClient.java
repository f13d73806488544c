package io.tidings.source.mastodon.reader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.source.common.SourceClock;
import io.tidings.source.common.WebSocketConnection;
import io.tidings.source.mastodon.source.MastodonSourceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * Reads a timeline endpoint page by page, forward in time: {@code min_id} asks for the statuses
 * right after an id (Mastodon still lists each page newest first), and the {@code Link} header's
 * {@code rel="prev"} names the next newer page. Only links to the same server are followed, so the
 * access token never goes anywhere else.
 */
@Internal
final class MastodonTimelineClient {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?([^\";,]+)\"?");
    private static final int MAX_SAID = 300;

    /** One page: its statuses as the server listed them, the next newer page, the rate limit after it. */
    record Page(List<JsonNode> statuses, URI newer, OptionalLong remaining, HttpHeaders headers) {}

    private final HttpClient http;
    private final MastodonSourceConfig config;
    private final SourceClock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    MastodonTimelineClient(HttpClient http, MastodonSourceConfig config) {
        this.http = http;
        this.config = config;
        this.clock = config.clock();
    }

    /** The page of statuses right after {@code minId}. */
    URI pageAfter(String minId) {
        String path = config.timeline().timelinePath();
        return URI.create(config.server() + path + (path.contains("?") ? "&" : "?") + "limit=" + config.pageLimit()
                + "&min_id=" + minId);
    }

    Page fetch(URI uri, String token) throws MastodonApiException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofMillis(config.requestTimeoutMs()))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MastodonApiException(0, "GET " + uri.getRawPath() + " failed: " + WebSocketConnection.describe(e),
                    null, 0);
        }
        int status = response.statusCode();
        String request0 = "GET " + uri.getRawPath() + " answered HTTP " + status;
        if (status == 429) {
            long wait = MastodonRateLimit.untilReset(response.headers(), clock.nowMillis(), config.maxRateLimitWaitMs())
                    .orElse(config.maxBackoffMs());
            throw new MastodonApiException(status, request0 + " (rate limited; reset in " + wait + " ms)",
                    said(response.body()), wait);
        }
        if (status != 200) {
            throw new MastodonApiException(status, request0, said(response.body()), 0);
        }
        JsonNode body;
        try {
            body = mapper.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isArray()) {
            throw new MastodonApiException(status, request0 + " but not a JSON array of statuses", said(response.body()), 0);
        }
        List<JsonNode> statuses = new ArrayList<>();
        body.forEach(statuses::add);
        return new Page(statuses, newerPage(response.headers()), MastodonRateLimit.remaining(response.headers()),
                response.headers());
    }

    /** The {@code rel="prev"} link of the {@code Link} header when it points to this server, else null. */
    URI newerPage(HttpHeaders headers) {
        for (String value : headers.allValues("Link")) {
            Matcher m = LINK.matcher(value);
            while (m.find()) {
                if (!m.group(2).strip().equals("prev")) {
                    continue;
                }
                try {
                    URI link = URI.create(m.group(1).strip());
                    if (config.server().getScheme().equals(link.getScheme())
                            && config.server().getRawAuthority().equals(link.getRawAuthority())) {
                        return link;
                    }
                } catch (IllegalArgumentException notAUri) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String said(String body) {
        if (body == null) {
            return null;
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SAID ? oneLine : oneLine.substring(0, MAX_SAID) + "…";
    }
}
