package io.tidings.source.x.source;

import io.tidings.source.common.SecretToken;
import io.tidings.source.common.SourceClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builds an {@link XStreamSource}:
 *
 * <pre>{@code
 * XStreamSource source = XStreamSource.builder()
 *         .bearerTokenFrom("env:X_BEARER_TOKEN")   // or "file:/path", "secretsmanager:<id-or-arn>[#json-key]"
 *         .rules(List.of(XRule.of("(flink OR kafka) lang:en -is:retweet", "streaming")))
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "x-stream").setParallelism(1);
 * }</pre>
 */
@PublicEvolving
public final class XStreamSourceBuilder {
    /** X's documented limits (pay-per-use access). */
    static final int MAX_RULES = 1000;
    static final int MAX_RULE_LENGTH = 1024;
    static final int MAX_SEARCH_QUERY_LENGTH = 512;

    private SecretToken bearerToken;
    private final List<XRule> rules = new ArrayList<>();
    private URI apiBase = URI.create("https://api.x.com");
    private XSourceMode mode = XSourceMode.STREAM;
    private boolean gapFill = true;
    private boolean syncRules = true;
    private Duration pollInterval = Duration.ofSeconds(60);
    private Duration stallTimeout = Duration.ofSeconds(20);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private SourceClock clock = SourceClock.SYSTEM;
    private boolean complianceStream;

    XStreamSourceBuilder() {}

    /** The app's bearer token itself. Prefer {@link #bearerTokenFrom(String)}: it keeps the token out of the job graph. */
    public XStreamSourceBuilder bearerToken(String token) {
        this.bearerToken = XBearerToken.of(token);
        return this;
    }

    /**
     * {@code env:NAME}, {@code file:/path} or {@code secretsmanager:<secret-id-or-arn>[#json-key]}
     * (see {@link XBearerToken#parse}); resolved on the task manager when the reader opens.
     */
    public XStreamSourceBuilder bearerTokenFrom(String spec) {
        this.bearerToken = XBearerToken.parse(spec);
        return this;
    }

    public XStreamSourceBuilder bearerTokenFrom(SecretToken token) {
        this.bearerToken = token;
        return this;
    }

    /** The rules to hold on X (replacing any added before). With rule sync on, X ends up holding exactly these. */
    public XStreamSourceBuilder rules(List<XRule> rules) {
        this.rules.clear();
        this.rules.addAll(rules);
        return this;
    }

    public XStreamSourceBuilder rule(String value, String tag) {
        this.rules.add(XRule.of(value, tag));
        return this;
    }

    /** Default {@code https://api.x.com}; tests point it at a fake server. */
    public XStreamSourceBuilder apiBase(URI apiBase) {
        this.apiBase = apiBase;
        return this;
    }

    public XStreamSourceBuilder apiBase(String apiBase) {
        return apiBase(URI.create(apiBase));
    }

    /** Default {@link XSourceMode#STREAM}. */
    public XStreamSourceBuilder mode(XSourceMode mode) {
        this.mode = mode;
        return this;
    }

    /** After each (re)connect, fetch what was missed with recent search since the newest post id. Default on. */
    public XStreamSourceBuilder gapFill(boolean gapFill) {
        this.gapFill = gapFill;
        return this;
    }

    /** On start, make the rules on X exactly {@link #rules}: dry run, delete stale, add missing. Default on. */
    public XStreamSourceBuilder syncRules(boolean syncRules) {
        this.syncRules = syncRules;
        return this;
    }

    /** How often {@link XSourceMode#POLL_RECENT_SEARCH} searches. Default 60 s. */
    public XStreamSourceBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
        return this;
    }

    /** No byte (not even a keep-alive) for this long means a dead connection. Default 20 s, as X documents. */
    public XStreamSourceBuilder stallTimeout(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
        return this;
    }

    /** Timeout of rule and search requests and of waiting for the stream's response headers. Default 30 s. */
    public XStreamSourceBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /**
     * Also follow the post compliance stream ({@code GET /2/tweets/compliance/stream}, all four
     * partitions, one connection each), so that posts deleted on X become tombstones. X offers it
     * to Enterprise access only; other levels get HTTP 403, which fails the source. Default off.
     */
    public XStreamSourceBuilder complianceStream(boolean complianceStream) {
        this.complianceStream = complianceStream;
        return this;
    }

    /** Time and waiting; tests pass a fake one. Must be serializable. */
    public XStreamSourceBuilder clock(SourceClock clock) {
        this.clock = clock;
        return this;
    }

    public XStreamSource build() {
        List<String> problems = new ArrayList<>();
        if (bearerToken == null) {
            problems.add("no bearer token: call bearerToken(..) or bearerTokenFrom(\"env:NAME\" | \"file:/path\""
                    + " | \"secretsmanager:<secret-id-or-arn>[#json-key]\")");
        }
        if (apiBase == null || apiBase.getScheme() == null || apiBase.getHost() == null
                || !(apiBase.getScheme().equals("https") || apiBase.getScheme().equals("http"))) {
            problems.add("apiBase must be an http(s) URI like https://api.x.com, got " + apiBase);
        }
        if (mode == null) {
            problems.add("mode must be STREAM or POLL_RECENT_SEARCH");
        }
        if (rules.isEmpty()) {
            problems.add("no rules: give at least one XRule(value, tag)");
        }
        if (rules.size() > MAX_RULES) {
            problems.add(rules.size() + " rules; X allows at most " + MAX_RULES);
        }
        Set<String> tags = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (XRule r : rules) {
            if (r == null || r.value() == null || r.value().isBlank()) {
                problems.add("a rule has no value: " + r);
                continue;
            }
            if (r.tag() == null || r.tag().isBlank()) {
                problems.add("rule '" + r.value() + "' has no tag (the tag is the rule's name in our records)");
            } else if (!tags.add(r.tag())) {
                problems.add("two rules share the tag '" + r.tag() + "'");
            }
            if (!values.add(r.value())) {
                problems.add("two rules share the value '" + r.value() + "' (X rejects duplicates)");
            }
            if (r.value().length() > MAX_RULE_LENGTH) {
                problems.add("rule '" + r.tag() + "' is " + r.value().length() + " characters; X allows " + MAX_RULE_LENGTH);
            }
            if (mode == XSourceMode.POLL_RECENT_SEARCH && r.value().length() > MAX_SEARCH_QUERY_LENGTH) {
                problems.add("rule '" + r.tag() + "' is " + r.value().length()
                        + " characters; recent search queries allow " + MAX_SEARCH_QUERY_LENGTH);
            }
        }
        requirePositive(pollInterval, "pollInterval", problems);
        requirePositive(stallTimeout, "stallTimeout", problems);
        requirePositive(requestTimeout, "requestTimeout", problems);
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid XStreamSource configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new XStreamSource(new XStreamSourceConfig(
                bearerToken, rules, apiBase, mode, gapFill, syncRules, pollInterval, stallTimeout, requestTimeout, clock,
                complianceStream));
    }

    private static void requirePositive(Duration d, String name, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, got " + d);
        }
    }
}
