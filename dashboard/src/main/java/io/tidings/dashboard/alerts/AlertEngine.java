package io.tidings.dashboard.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidings.dashboard.api.Filters;
import io.tidings.dashboard.api.Trending;
import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules as data lands: whenever the lake's version changes (looked at every
 * two seconds) and once a minute regardless. Windows end at the newest {@code created_at} in the
 * lake, not at the wall clock, so a replay of old data (the demo, an import) alerts as it would
 * have live, and a job that stops does not make every window look empty.
 *
 * <p>A rule that starts firing is an event, and the event is POSTed once as JSON to the webhook;
 * a rule that keeps firing is not posted again until it has gone back to normal. Webhook calls are
 * asynchronous with a few retries and never hold up evaluation or the server.
 */
public final class AlertEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] RETRY_DELAYS_MS = {1_000, 5_000, 30_000};
    private static final int EVENTS_KEPT = 200;

    private final List<AlertRule> rules;
    private final LakeDatabase db;
    private final LakeVersion version;
    private final Supplier<String> refresh;
    private final URI webhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alerts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Boolean> firing = new LinkedHashMap<>();
    private final Map<String, Double> lastValue = new LinkedHashMap<>();
    /** Per trending rule, the keys above its threshold at the last evaluation. */
    private final Map<String, java.util.Set<String>> firingKeys = new LinkedHashMap<>();
    private final Trending trending;
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();
    private String evaluatedVersion;
    private long evaluatedAt;

    public AlertEngine(List<AlertRule> rules, LakeDatabase db, LakeVersion version, Supplier<String> refresh, URI webhook) {
        this.rules = List.copyOf(rules);
        this.db = db;
        this.version = version;
        this.refresh = refresh;
        this.webhook = webhook;
        this.trending = new Trending(db);
        rules.forEach(r -> firing.put(r.name(), false));
    }

    public void start() {
        if (!rules.isEmpty()) {
            scheduler.scheduleWithFixedDelay(this::tick, 0, 2, TimeUnit.SECONDS);
        }
    }

    private void tick() {
        try {
            String now = version.version();
            if (!now.equals(evaluatedVersion) || System.nanoTime() - evaluatedAt > TimeUnit.MINUTES.toNanos(1)) {
                evaluate();
            }
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation failed: {}", e.getMessage());
        }
    }

    /** Evaluates every rule now (also what the timer calls). */
    public synchronized void evaluate() {
        String v = refresh.get();
        evaluatedVersion = v;
        evaluatedAt = System.nanoTime();
        Instant anchor;
        try {
            Object newest = db.one("SELECT max(created_at) AS newest FROM posts", List.of()).get("newest");
            if (newest == null) {
                return;
            }
            anchor = Instant.parse((String) newest);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (AlertRule rule : rules) {
            try {
                evaluate(rule, anchor);
            } catch (java.sql.SQLException | RuntimeException e) {
                LOG.warn("alert {}: {}", rule.name(), e.getMessage());
            }
        }
    }

    private void evaluate(AlertRule rule, Instant anchor) throws java.sql.SQLException {
        if (rule.trendingKind() != null) {
            evaluateTrending(rule, anchor);
            return;
        }
        Instant end = anchor.plusMillis(1);
        Instant start = end.minus(rule.window());
        Filters base = Filters.parse(rule.filters());
        Filters.Condition window = base.withRange(start, end).on("p");
        Map<String, Object> counts = db.one("SELECT count(*) AS posts, count(p.sentiment) AS scored,"
                + " count_if(p.sentiment = 'negative') AS negative, count_if(p.sentiment = 'positive') AS positive"
                + " FROM posts p WHERE " + window.sql(), window.params());
        long posts = ((Number) counts.get("posts")).longValue();
        long scored = ((Number) counts.get("scored")).longValue();
        Double value;
        String message;
        if (rule.surge()) {
            Filters.Condition before = base.withRange(start.minus(rule.trailing()), start).on("p");
            long trailing = ((Number) db.one("SELECT count(*) AS n FROM posts p WHERE " + before.sql(), before.params()).get("n")).longValue();
            double expected = trailing * ((double) rule.window().toMillis() / rule.trailing().toMillis());
            if (trailing == 0 || posts < rule.minPosts()) {
                value = null;
            } else {
                value = posts / expected;
            }
            message = value == null ? null : String.format(Locale.ROOT, "%s: %d posts in the last %s, %.1f× the trailing %s rate (%.1f expected)",
                    rule.name(), posts, human(rule.window()), value, human(rule.trailing()), expected);
        } else {
            long basis = rule.metric().equals("volume") ? posts : scored;
            if (basis < rule.minPosts() && !rule.metric().equals("volume")) {
                value = null;
            } else {
                double negative = ((Number) counts.get("negative")).doubleValue();
                double positive = ((Number) counts.get("positive")).doubleValue();
                value = switch (rule.metric()) {
                    case "negative_share" -> negative / scored;
                    case "positive_share" -> positive / scored;
                    case "net_sentiment" -> (positive - negative) / scored;
                    default -> (double) posts;
                };
            }
            message = value == null ? null : String.format(Locale.ROOT, "%s: %s %.3f %s %s over the %s up to %s (%d posts, %d scored)",
                    rule.name(), rule.metric(), value, rule.above() ? ">" : "<", trim(rule.threshold()), human(rule.window()),
                    anchor, posts, scored);
        }
        boolean fires = value != null && (rule.above() ? value > rule.threshold() : value < rule.threshold());
        lastValue.put(rule.name(), value);
        boolean was = firing.get(rule.name());
        if (fires && !was) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("rule", rule.name());
            event.put("at", anchor.toString());
            event.put("message", message);
            event.put("value", value);
            record(event);
            post(rule, event);
        } else if (!fires && was && value != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("rule", rule.name());
            event.put("at", anchor.toString());
            event.put("message", rule.name() + ": back to normal (" + String.format(Locale.ROOT, "%.3f", value) + ")");
            event.put("value", value);
            record(event);
        }
        if (value != null) {
            firing.put(rule.name(), fires);
        }
    }

    /**
     * A trending rule: fires while some key of its kind trends with a score above the threshold.
     * An event names the keys; a key that starts trending while the rule already fires is a new
     * event (and webhook call) naming it, so each rising key is told once.
     */
    private void evaluateTrending(AlertRule rule, Instant anchor) throws java.sql.SQLException {
        Trending.Answer answer = trending.answer(Filters.parse(rule.filters()), rule.trendingSettings(), anchor);
        List<Trending.Key> keys = answer.keys();
        List<Trending.Key> above = keys.stream().filter(k -> k.score().doubleValue() > rule.threshold()).toList();
        // The top score of the keys with enough posts (0 when none has): what the rule compares.
        double value = keys.isEmpty() ? 0.0 : keys.get(0).score().doubleValue();
        lastValue.put(rule.name(), value);
        java.util.Set<String> now = new java.util.LinkedHashSet<>();
        above.forEach(k -> now.add(k.kind() + ":" + k.key()));
        java.util.Set<String> before = firingKeys.getOrDefault(rule.name(), java.util.Set.of());
        List<Trending.Key> rising = above.stream().filter(k -> !before.contains(k.kind() + ":" + k.key())).toList();
        boolean was = firing.get(rule.name());
        if (!rising.isEmpty()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("rule", rule.name());
            event.put("at", anchor.toString());
            event.put("message", rule.name() + ": trending " + String.join(", ", rising.stream().map(k -> describe(k, answer)).toList()));
            event.put("value", rising.get(0).score().doubleValue());
            event.put("keys", rising);
            record(event);
            post(rule, event);
        } else if (above.isEmpty() && was) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("rule", rule.name());
            event.put("at", anchor.toString());
            event.put("message", rule.name() + ": back to normal (top score " + String.format(Locale.ROOT, "%.1f", value) + ")");
            event.put("value", value);
            record(event);
        }
        firingKeys.put(rule.name(), now);
        firing.put(rule.name(), !above.isEmpty());
    }

    /** {@code #surge (48 posts in the last 1h, 4.2 expected, score 12.3, new)}. */
    private static String describe(Trending.Key key, Trending.Answer answer) {
        String label = key.kind().equals("hashtag") ? "#" + key.label() : key.kind() + " " + key.label();
        return String.format(Locale.ROOT, "%s (%d posts in the last %s, %.1f expected, score %.1f%s)", label,
                key.posts(), answer.window(), key.expected().doubleValue(),
                key.score().doubleValue(), Boolean.TRUE.equals(key.isNew()) ? ", new" : "");
    }

    private void record(Map<String, Object> event) {
        events.addFirst(event);
        while (events.size() > EVENTS_KEPT) {
            events.removeLast();
        }
    }

    private void post(AlertRule rule, Map<String, Object> event) {
        if (webhook == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>(event);
        body.put("kind", rule.kind());
        body.put("condition", rule.text());
        body.put("state", "firing");
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        send(json, 0);
    }

    private void send(String json, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok) {
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt < RETRY_DELAYS_MS.length && !scheduler.isShutdown()) {
                LOG.warn("alert webhook failed ({}), retrying in {} ms", why, RETRY_DELAYS_MS[attempt]);
                scheduler.schedule(() -> send(json, attempt + 1), RETRY_DELAYS_MS[attempt], TimeUnit.MILLISECONDS);
            } else {
                LOG.error("alert webhook failed ({}); giving up on this event", why);
            }
        });
    }

    /** {@code {"rules": [...], "events": [...]}} for GET /api/alerts. */
    public synchronized Map<String, Object> state() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AlertRule rule : rules) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", rule.name());
            r.put("kind", rule.kind());
            r.put("description", rule.text());
            r.put("state", firing.get(rule.name()) ? "firing" : "ok");
            r.put("value", lastValue.get(rule.name()));
            list.add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rules", list);
        out.put("events", new ArrayList<>(events));
        return out;
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
