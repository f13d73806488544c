package io.tidings.dashboard;

import io.javalin.http.Context;
import io.tidings.dashboard.api.ApiException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What every request must pass before a route sees it. A dashboard on 127.0.0.1 is reachable by
 * every web page its user opens, so besides the token (when one is set) it refuses what a browser
 * sends on another site's behalf:
 * <ul>
 *   <li>a {@code Host} that is not this machine's loopback name or address, unless a token is set
 *       (DNS rebinding: a page of {@code evil.example} whose name now points at 127.0.0.1; it has
 *       no token and no cookie of ours);</li>
 *   <li>an API request whose {@code Sec-Fetch-Site} says another site sent it, or whose
 *       {@code Origin} is not this server's;</li>
 *   <li>a POST whose body is not declared JSON: a page may send {@code text/plain} or a form to any
 *       address without asking, but {@code application/json} from another origin needs a CORS
 *       preflight, which this server never grants.</li>
 * </ul>
 * Every answer, Jetty's own error pages included ({@link #errorHandler()}), carries the same
 * security headers.
 */
final class RequestGuard {
    static final String TOKEN_COOKIE = "tidings_token";
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final byte[] tokenDigest;

    /** {@code token}: required on every request when not null. */
    RequestGuard(String token) {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    /** Sets the headers every answer carries. */
    static void securityHeaders(BiConsumer<String, String> header) {
        header.accept("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Referrer-Policy", "no-referrer");
        header.accept("X-Frame-Options", "DENY");
        header.accept("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** Javalin's before-handler: security headers, then the checks above; an {@link ApiException} when refused. */
    void check(Context ctx) {
        securityHeaders(ctx::header);
        for (String name : List.of("Host", "Origin", "Sec-Fetch-Site")) {
            if (java.util.Collections.list(ctx.req().getHeaders(name)).size() > 1) {
                throw new ApiException(400, "refused: more than one " + name + " header");
            }
        }
        String host = ctx.header("Host");
        if (tokenDigest == null) {
            // The server name also covers an absolute request target (POST http://evil.example/api/sql).
            for (String named : new String[] {host, ctx.req().getServerName()}) {
                if (named != null && !isLoopbackHost(named)) {
                    throw new ApiException(403, "refused: this dashboard answers only at 127.0.0.1 or localhost (the"
                            + " request named the host '" + named + "'); to serve other names, set a token");
                }
            }
        }
        if (ctx.path().startsWith("/api/")) {
            String site = ctx.header("Sec-Fetch-Site");
            if (site != null && !(site.equals("same-origin") || site.equals("none"))) {
                throw new ApiException(403, "refused: a request sent by another site (Sec-Fetch-Site: " + site + ")");
            }
            String origin = ctx.header("Origin");
            if (origin != null && !(host != null && origin.equalsIgnoreCase(ctx.scheme() + "://" + host))) {
                throw new ApiException(403, "refused: a request from another origin (" + origin + ")");
            }
            if (ctx.method().name().equals("POST") && !isJson(ctx.header("Content-Type"))) {
                throw new ApiException(415, "the body must be sent as Content-Type: application/json");
            }
        }
        checkToken(ctx);
    }

    private void checkToken(Context ctx) {
        if (tokenDigest == null) {
            return;
        }
        String presented = null;
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            presented = authorization.substring("Bearer ".length()).strip();
        } else if (ctx.queryParam("token") != null) {
            presented = ctx.queryParam("token");
        } else if (ctx.cookie(TOKEN_COOKIE) != null) {
            presented = URLDecoder.decode(ctx.cookie(TOKEN_COOKIE), StandardCharsets.UTF_8);
        }
        // Digests of equal length compared in constant time: neither length nor prefix leaks.
        if (presented == null || !MessageDigest.isEqual(tokenDigest, sha256(presented))) {
            throw new ApiException(401, "a valid token is required (Authorization: Bearer TOKEN, or ?token=TOKEN once)");
        }
        if (ctx.queryParam("token") != null) {
            ctx.header("Set-Cookie", TOKEN_COOKIE + "=" + URLEncoder.encode(presented, StandardCharsets.UTF_8)
                    + "; Path=/; HttpOnly; SameSite=Strict");
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    /** {@code localhost}, {@code 127.x.x.x} or {@code [::1]}, with or without a port; never a lookup. */
    static boolean isLoopbackHost(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 && host.substring(1, close).equals("::1") && isPortOrNothing(host.substring(close + 1));
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        if (colon >= 0 && !isPortOrNothing(host.substring(colon))) {
            return false;
        }
        if (name.equals("localhost")) {
            return true;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPortOrNothing(String rest) {
        return rest.isEmpty() || (rest.length() > 1 && rest.length() <= 6 && rest.charAt(0) == ':'
                && rest.substring(1).chars().allMatch(Character::isDigit));
    }

    static boolean isLoopbackAddress(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address " + host);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Jetty's error pages (a malformed request line, a header too large, an error before any
     * route ran) with the same security headers as every other answer.
     */
    static ErrorHandler errorHandler() {
        return new ErrorHandler() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                securityHeaders(response.getHeaders()::put);
                return super.handle(request, response, callback);
            }

            @Override
            public java.nio.ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                securityHeaders(fields::put);
                return super.badMessageError(status, reason, fields);
            }
        };
    }
}
