package io.tidings.source.bluesky.source;

import io.tidings.source.common.SourceClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Builds a {@link JetstreamSource}:
 *
 * <pre>{@code
 * JetstreamSource source = JetstreamSource.builder()
 *         .keywords(Map.of("streaming", List.of("flink", "apache kafka")))
 *         .languages(Set.of("en"))
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "bluesky-jetstream").setParallelism(1);
 * }</pre>
 */
@PublicEvolving
public final class JetstreamSourceBuilder {
    /** The four public instances Bluesky runs, in the default fail-over order. */
    public static final List<URI> PUBLIC_ENDPOINTS = List.of(
            URI.create("wss://jetstream1.us-east.bsky.network/subscribe"),
            URI.create("wss://jetstream2.us-east.bsky.network/subscribe"),
            URI.create("wss://jetstream1.us-west.bsky.network/subscribe"),
            URI.create("wss://jetstream2.us-west.bsky.network/subscribe"));
    /** Jetstream's limit on {@code wantedDids}. */
    static final int MAX_WANTED_DIDS = 10_000;

    private List<URI> endpoints = PUBLIC_ENDPOINTS;
    private Map<String, List<String>> keywords = new LinkedHashMap<>();
    private Set<String> languages = new LinkedHashSet<>();
    private Set<String> authors = new LinkedHashSet<>();
    private Duration replay = Duration.ofSeconds(5);
    private Duration stallTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private SourceClock clock = SourceClock.SYSTEM;

    JetstreamSourceBuilder() {}

    /** Subscribe URLs ({@code ws://} or {@code wss://…/subscribe}), tried in order; default {@link #PUBLIC_ENDPOINTS}. */
    public JetstreamSourceBuilder endpoints(List<URI> endpoints) {
        this.endpoints = endpoints == null ? null : new ArrayList<>(endpoints);
        return this;
    }

    /**
     * Keyword filters: name → terms. A post is emitted when its text contains any term of any filter
     * (case-insensitive, as a whole word or phrase); the names of the filters it matched become
     * {@code RawRecord.matchedRules}. Empty (the default) = every post, with no matched rules.
     */
    public JetstreamSourceBuilder keywords(Map<String, List<String>> keywords) {
        this.keywords = keywords == null ? null : new LinkedHashMap<>(keywords);
        return this;
    }

    /**
     * Languages (BCP 47, e.g. {@code en}, {@code pt-BR}) the post's {@code langs} must include; a
     * primary tag matches its regional variants ({@code en} matches {@code en-US}). Empty = any.
     */
    public JetstreamSourceBuilder languages(Set<String> languages) {
        this.languages = languages == null ? null : new LinkedHashSet<>(languages);
        return this;
    }

    /** Author DIDs, sent to Jetstream as {@code wantedDids} (at most 10,000). Empty = everyone. */
    public JetstreamSourceBuilder authors(Set<String> dids) {
        this.authors = dids == null ? null : new LinkedHashSet<>(dids);
        return this;
    }

    /** How far before the last emitted {@code time_us} every (re)connect replays. Default 5 s. */
    public JetstreamSourceBuilder replay(Duration replay) {
        this.replay = replay;
        return this;
    }

    /** No message for this long means a dead connection: reconnect. Default 30 s. */
    public JetstreamSourceBuilder stallTimeout(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
        return this;
    }

    /** Timeout of the WebSocket opening handshake. Default 10 s. */
    public JetstreamSourceBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** Back-off after failures: starts at {@code initial}, doubles up to {@code max}. Default 1 s .. 60 s. */
    public JetstreamSourceBuilder backoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** Time and waiting; tests pass a fake one. Must be serializable. */
    public JetstreamSourceBuilder clock(SourceClock clock) {
        this.clock = clock;
        return this;
    }

    public JetstreamSource build() {
        List<String> problems = new ArrayList<>();
        if (endpoints == null || endpoints.isEmpty()) {
            problems.add("no endpoints: give at least one ws(s)://…/subscribe URL (or leave the default)");
        } else {
            for (URI uri : endpoints) {
                if (uri == null || uri.getHost() == null || uri.getScheme() == null
                        || !(uri.getScheme().equals("wss") || uri.getScheme().equals("ws"))) {
                    problems.add("endpoint must be a ws:// or wss:// URL like "
                            + PUBLIC_ENDPOINTS.get(0) + ", got " + uri);
                } else if (uri.getRawQuery() != null) {
                    problems.add("endpoint " + uri + " has a query; the source sets the query parameters itself");
                }
            }
        }
        Map<String, List<String>> cleanKeywords = new LinkedHashMap<>();
        if (keywords == null) {
            problems.add("keywords must not be null (use an empty map for every post)");
        } else {
            keywords.forEach((name, terms) -> {
                if (name == null || name.isBlank()) {
                    problems.add("a keyword filter has no name: " + terms);
                    return;
                }
                if (terms == null || terms.isEmpty()) {
                    problems.add("keyword filter '" + name + "' has no terms");
                    return;
                }
                List<String> clean = new ArrayList<>();
                for (String term : terms) {
                    if (term == null || term.isBlank()) {
                        problems.add("keyword filter '" + name + "' has a blank term");
                    } else {
                        clean.add(term.strip());
                    }
                }
                cleanKeywords.put(name, clean);
            });
        }
        Set<String> cleanLanguages = new LinkedHashSet<>();
        if (languages == null) {
            problems.add("languages must not be null (use an empty set for any language)");
        } else {
            for (String lang : languages) {
                if (lang == null || lang.isBlank()) {
                    problems.add("a language is blank");
                } else {
                    cleanLanguages.add(lang.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        if (authors == null) {
            problems.add("authors must not be null (use an empty set for everyone)");
        } else {
            if (authors.size() > MAX_WANTED_DIDS) {
                problems.add(authors.size() + " authors; Jetstream allows at most " + MAX_WANTED_DIDS + " wantedDids");
            }
            for (String did : authors) {
                if (did == null || !did.startsWith("did:") || did.length() < 8 || did.chars().anyMatch(c -> c <= ' ')) {
                    problems.add("author '" + did + "' is not a DID (did:plc:… or did:web:…)");
                }
            }
        }
        if (replay == null || replay.isNegative()) {
            problems.add("replay must be zero or positive, got " + replay);
        }
        requirePositive(stallTimeout, "stallTimeout", problems);
        requirePositive(connectTimeout, "connectTimeout", problems);
        requirePositive(initialBackoff, "initial backoff", problems);
        requirePositive(maxBackoff, "max backoff", problems);
        if (initialBackoff != null && maxBackoff != null && initialBackoff.compareTo(maxBackoff) > 0) {
            problems.add("initial backoff " + initialBackoff + " is longer than max backoff " + maxBackoff);
        }
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid JetstreamSource configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new JetstreamSource(new JetstreamSourceConfig(endpoints, cleanKeywords, cleanLanguages, authors,
                replay, stallTimeout, connectTimeout, initialBackoff, maxBackoff, clock));
    }

    private static void requirePositive(Duration d, String name, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, got " + d);
        }
    }
}
