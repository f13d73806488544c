package io.tidings.dashboard.alerts;

import io.tidings.dashboard.api.Filters;
import io.tidings.dashboard.api.Trending;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert rule, written on the command line as {@code --alert 'NAME=CONDITION [options]'}:
 * <pre>
 *   NAME=METRIC&gt;NUMBER over DURATION [min=N] [FILTER=VALUE ...]
 *   NAME=METRIC&lt;NUMBER over DURATION [min=N] [FILTER=VALUE ...]
 *   NAME=volume&gt;Kx trailing DURATION [over DURATION] [min=N] [FILTER=VALUE ...]
 *   NAME=trending score&gt;NUMBER [kind=all|term|hashtag|entity] [over DURATION] [trailing DURATION] [min=N] [FILTER=VALUE ...]
 * </pre>
 * METRIC: {@code negative_share}, {@code positive_share} (share of scored posts, 0..1),
 * {@code net_sentiment} (−1..1) or {@code volume} (posts). DURATION: a number and {@code s},
 * {@code m}, {@code h} or {@code d}. The surge form compares the posts of the last window
 * ({@code over}, default 15m) with K times the window's share of the trailing period before it.
 * {@code min=N}: evaluate only when the window holds at least N posts (scored posts for shares;
 * default 10), so three posts cannot make a 67% alarm. FILTER: any filter of the API
 * ({@code rule}, {@code platform}, {@code lang}, {@code sentiment}, {@code entity},
 * {@code entity_type}, {@code hashtag}, {@code q}); values without spaces.
 *
 * <p>The trending form fires when any key of that kind (term, hashtag, entity or all) is trending
 * ({@link Trending}: at least {@code min} posts in the window, default 5, ratio at least 1.5)
 * with a score above NUMBER; {@code over} is the window (default 1h), {@code trailing} the
 * baseline (default 7d). {@code trendingKind} is null for the other forms.
 */
public record AlertRule(String name, String metric, boolean above, double threshold, boolean surge, Duration window,
        Duration trailing, long minPosts, Map<String, List<String>> filters, String text, String trendingKind) {

    static final Set<String> METRICS = Set.of("negative_share", "positive_share", "net_sentiment", "volume");
    static final Set<String> FILTERS = Set.of("rule", "platform", "lang", "sentiment", "entity", "entity_type", "hashtag", "q");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern CONDITION = Pattern.compile("([a-z_]+)\\s*([<>])\\s*(-?[0-9]*\\.?[0-9]+)(x?)");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)([smhd])");
    private static final Pattern TRENDING_SCORE = Pattern.compile("score>(-?[0-9]*\\.?[0-9]+)");

    /** Parses one {@code --alert} value; a mistake is an IllegalArgumentException that says what is expected. */
    public static AlertRule parse(String spec) {
        String usage = " (expected e.g. 'neg=negative_share>0.40 over 15m rule=btc', 'surge=volume>3x trailing 1h'"
                + " or 'rising=trending score>6 kind=hashtag min=10')";
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("alert '" + spec + "': NAME= missing" + usage);
        }
        String name = spec.substring(0, eq).strip();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("alert '" + spec + "': the name may hold letters, digits, _ . - only" + usage);
        }
        String[] tokens = spec.substring(eq + 1).strip().split("\\s+");
        if (tokens[0].equals("trending")) {
            return parseTrending(name, tokens, spec.substring(eq + 1).strip());
        }
        Matcher condition = CONDITION.matcher(tokens[0]);
        if (!condition.matches()) {
            throw new IllegalArgumentException("alert '" + name + "': cannot read condition '" + tokens[0] + "'" + usage);
        }
        String metric = condition.group(1);
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("alert '" + name + "': unknown metric '" + metric + "'; known: " + METRICS);
        }
        boolean above = condition.group(2).equals(">");
        double threshold = Double.parseDouble(condition.group(3));
        boolean surge = !condition.group(4).isEmpty();
        Options options = options(name, tokens, 1, false);
        Duration window = options.over();
        Duration trailing = options.trailing();
        long minPosts = options.min() == null ? 10 : options.min();
        Map<String, List<String>> filters = options.filters();
        if (surge) {
            if (!metric.equals("volume") || !above || trailing == null) {
                throw new IllegalArgumentException("alert '" + name + "': Kx compares volume with a trailing period:"
                        + " 'volume>3x trailing 1h'");
            }
            window = window == null ? Duration.ofMinutes(15) : window;
        } else if (window == null) {
            throw new IllegalArgumentException("alert '" + name + "': give the window, e.g. 'over 15m'" + usage);
        } else if (trailing != null) {
            throw new IllegalArgumentException("alert '" + name + "': 'trailing' goes with a Kx volume rule only");
        }
        Filters.parse(filters); // a bad filter value fails now, not at the first evaluation
        return new AlertRule(name, metric, above, threshold, surge, window, trailing, minPosts, Map.copyOf(filters),
                spec.substring(eq + 1).strip(), null);
    }

    /** {@code trending score>N [kind=K] [over D] [trailing D] [min=N] [FILTER=VALUE ...]}. */
    private static AlertRule parseTrending(String name, String[] tokens, String text) {
        String usage = " (expected e.g. 'rising=trending score>6 kind=hashtag min=10')";
        Matcher score = TRENDING_SCORE.matcher(tokens.length > 1 ? tokens[1] : "");
        if (!score.matches()) {
            throw new IllegalArgumentException("alert '" + name + "': trending needs 'score>NUMBER' next" + usage);
        }
        double threshold = Double.parseDouble(score.group(1));
        Options options = options(name, tokens, 2, true);
        Duration window = options.over() == null ? Trending.DEFAULT_WINDOW : options.over();
        Duration baseline = options.trailing() == null ? Trending.DEFAULT_BASELINE : options.trailing();
        long minPosts = options.min() == null ? Trending.DEFAULT_MIN_POSTS : options.min();
        String kind = options.kind() == null ? "all" : options.kind();
        Map<String, List<String>> filters = options.filters();
        Filters.parse(filters);
        AlertRule rule = new AlertRule(name, "trending", true, threshold, false, window, baseline, minPosts, Map.copyOf(filters),
                text, kind);
        try {
            rule.trendingSettings(); // a bad window or baseline fails now, not at the first evaluation
        } catch (io.tidings.dashboard.api.ApiException e) {
            throw new IllegalArgumentException("alert '" + name + "': " + e.getMessage() + usage);
        }
        return rule;
    }

    /**
     * What a trending rule looks for: keys of its kind in its window and baseline with at least
     * {@code min} posts and the usual ratio, every score (the rule compares them with its threshold).
     */
    public Trending.Settings trendingSettings() {
        return new Trending.Settings(trendingKind, window, trailing, minPosts, Double.NEGATIVE_INFINITY,
                Trending.DEFAULT_MIN_RATIO, 200);
    }

    public String kind() {
        return surge ? "surge" : metric;
    }

    /** The options after a rule's condition; null where a rule did not give one. */
    private record Options(Duration over, Duration trailing, Long min, String kind, Map<String, List<String>> filters) {}

    /**
     * Reads {@code over D}, {@code trailing D}, {@code min=N}, filters and (for trending rules,
     * {@code withKind}) {@code kind=K} from {@code tokens[from..]}; anything else is refused, saying what is expected.
     */
    private static Options options(String name, String[] tokens, int from, boolean withKind) {
        Duration over = null;
        Duration trailing = null;
        Long min = null;
        String kind = null;
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int i = from; i < tokens.length; i++) {
            String token = tokens[i];
            if ((token.equals("over") || token.equals("trailing")) && i + 1 < tokens.length) {
                Duration d = duration(name, tokens[++i]);
                if (token.equals("over")) {
                    over = d;
                } else {
                    trailing = d;
                }
            } else if (token.startsWith("min=")) {
                min = Long.parseLong(token.substring(4));
            } else if (withKind && token.startsWith("kind=")) {
                kind = token.substring(5);
                if (!Trending.KINDS.contains(kind)) {
                    throw new IllegalArgumentException("alert '" + name + "': kind must be one of " + Trending.KINDS);
                }
            } else if (token.contains("=") && FILTERS.contains(token.substring(0, token.indexOf('=')))) {
                filters.put(token.substring(0, token.indexOf('=')), List.of(token.substring(token.indexOf('=') + 1)));
            } else {
                throw new IllegalArgumentException("alert '" + name + "': cannot read '" + token + "'; expected "
                        + (withKind ? "kind=K, " : "") + "over DURATION, trailing DURATION, min=N or a filter " + FILTERS);
            }
        }
        return new Options(over, trailing, min, kind, filters);
    }

    private static Duration duration(String name, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("alert '" + name + "': cannot read duration '" + text + "' (e.g. 15m, 1h, 2d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
