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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the server whether statuses still exist, and in which version: {@code GET
 * /api/v1/statuses?id[]=…} (Mastodon 4.3 and later, at most {@value #BATCH} ids a request: the
 * server's {@code DEFAULT_STATUSES_LIMIT}; the answer lists the statuses that exist and the caller
 * may see, so one missing from it is gone), else {@code GET /api/v1/statuses/:id} one by one (404 or
 * 410: gone). A server that answers the batch form with 404, 400 or 422 (older than 4.3, or a proxy
 * that does not pass it), first or after it once worked, gets single requests from then on.
 */
@Internal
final class MastodonStatusLookup {
    private static final Logger LOG = LoggerFactory.getLogger(MastodonStatusLookup.class);
    static final int BATCH = 20;
    /**
     * An answer that lists none of at least this many statuses is not believed: several statuses in a
     * row all deleted is far less likely than a server or proxy that answers every lookup with
     * nothing, which would turn every recent post into a tombstone.
     */
    static final int SUSPICIOUS_EMPTY = 5;

    /** What the server said of some ids: the statuses found (by id), the ids gone, the last answer's headers. */
    record Answer(Map<String, JsonNode> found, Set<String> gone, HttpHeaders headers) {}

    private final HttpClient http;
    private final MastodonSourceConfig config;
    private final SourceClock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Null until the server answered the batch form once; then whether it has it. */
    private Boolean batchForm;

    MastodonStatusLookup(HttpClient http, MastodonSourceConfig config) {
        this.http = http;
        this.config = config;
        this.clock = config.clock();
    }

    /** Whether the server is known to lack the batch form (then each id costs a request). */
    boolean singleRequests() {
        return Boolean.FALSE.equals(batchForm);
    }

    /** Looks up at most {@value #BATCH} ids. */
    Answer lookUp(List<String> ids, String token) throws MastodonApiException, InterruptedException {
        if (!Boolean.FALSE.equals(batchForm)) {
            StringBuilder query = new StringBuilder();
            for (String id : ids) {
                query.append(query.length() == 0 ? "?" : "&").append("id%5B%5D=").append(id);
            }
            HttpResponse<String> response = get(URI.create(config.server() + "/api/v1/statuses" + query), token);
            int status = response.statusCode();
            if (status == 404 || status == 400 || status == 422) {
                // Also after it once worked: a server that has the batch form answers it with 200 and
                // leaves out what is gone, so this means the server (or a proxy in front) changed.
                LOG.info("Mastodon server answers GET /api/v1/statuses?id[]= with HTTP {} ({}): rechecking one status"
                        + " a request from now on", status, batchForm == null ? "older than 4.3?" : "it did before");
                batchForm = false;
                return lookUpOneByOne(ids, token);
            }
            JsonNode body = check(response, "GET /api/v1/statuses?id[]=…");
            if (!body.isArray()) {
                throw new MastodonApiException(status, "GET /api/v1/statuses?id[]=… answered HTTP " + status
                        + " but not a JSON array of statuses", said(response.body()), 0);
            }
            batchForm = true;
            Map<String, JsonNode> found = new LinkedHashMap<>();
            for (JsonNode s : body) {
                String id = MastodonFetcher.statusId(s);
                if (id != null && ids.contains(id)) {
                    found.put(id, s);
                }
            }
            if (found.isEmpty() && ids.size() >= SUSPICIOUS_EMPTY) {
                throw new MastodonApiException(status, "GET /api/v1/statuses?id[]=… listed none of " + ids.size()
                        + " statuses emitted lately: not believed (every one deleted?)", said(response.body()), 0);
            }
            Set<String> gone = new LinkedHashSet<>(ids);
            gone.removeAll(found.keySet());
            return new Answer(found, gone, response.headers());
        }
        return lookUpOneByOne(ids, token);
    }

    private Answer lookUpOneByOne(List<String> ids, String token) throws MastodonApiException, InterruptedException {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Set<String> gone = new LinkedHashSet<>();
        HttpHeaders last = null;
        for (String id : ids) {
            HttpResponse<String> response = get(URI.create(config.server() + "/api/v1/statuses/" + id), token);
            last = response.headers();
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                gone.add(id);
                continue;
            }
            JsonNode body = check(response, "GET /api/v1/statuses/" + id);
            if (!id.equals(MastodonFetcher.statusId(body))) {
                throw new MastodonApiException(response.statusCode(), "GET /api/v1/statuses/" + id + " answered HTTP "
                        + response.statusCode() + " but not that status", said(response.body()), 0);
            }
            found.put(id, body);
        }
        if (found.isEmpty() && ids.size() >= SUSPICIOUS_EMPTY) {
            throw new MastodonApiException(404, "GET /api/v1/statuses/:id answered 404 for all " + ids.size()
                    + " statuses emitted lately: not believed (every one deleted?)", null, 0);
        }
        return new Answer(found, gone, last);
    }

    /** The body as JSON when the answer is a 200; a 429 or any other status, or garbage, throws. */
    private JsonNode check(HttpResponse<String> response, String request) throws MastodonApiException {
        int status = response.statusCode();
        if (status == 429) {
            long wait = MastodonRateLimit.untilReset(response.headers(), clock.nowMillis(), config.maxRateLimitWaitMs())
                    .orElse(config.maxBackoffMs());
            throw new MastodonApiException(status, request + " answered HTTP 429 (rate limited; reset in " + wait + " ms)",
                    said(response.body()), wait);
        }
        if (status != 200) {
            throw new MastodonApiException(status, request + " answered HTTP " + status, said(response.body()), 0);
        }
        try {
            JsonNode body = mapper.readTree(response.body());
            if (body != null) {
                return body;
            }
        } catch (JsonProcessingException e) {
            // below
        }
        throw new MastodonApiException(status, request + " answered HTTP 200 but not JSON", said(response.body()), 0);
    }

    private HttpResponse<String> get(URI uri, String token) throws MastodonApiException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofMillis(config.requestTimeoutMs()))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MastodonApiException(0, "GET " + uri.getRawPath() + " failed: " + WebSocketConnection.describe(e),
                    null, 0);
        }
    }

    private static String said(String body) {
        if (body == null) {
            return null;
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
