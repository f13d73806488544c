package io.tidings.source.bluesky.source;

import io.tidings.source.common.SourceClock;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/** Everything the reader needs, as the builder validated it. Immutable and serializable. */
@Internal
public final class JetstreamSourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<URI> endpoints;
    private final LinkedHashMap<String, List<String>> keywords;
    private final TreeSet<String> languages;
    private final TreeSet<String> authors;
    private final long replayMicros;
    private final long stallTimeoutMs;
    private final long connectTimeoutMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final SourceClock clock;

    JetstreamSourceConfig(
            List<URI> endpoints,
            Map<String, List<String>> keywords,
            Set<String> languages,
            Set<String> authors,
            Duration replay,
            Duration stallTimeout,
            Duration connectTimeout,
            Duration initialBackoff,
            Duration maxBackoff,
            SourceClock clock) {
        this.endpoints = List.copyOf(endpoints);
        this.keywords = new LinkedHashMap<>();
        keywords.forEach((name, terms) -> this.keywords.put(name, List.copyOf(terms)));
        this.languages = new TreeSet<>(languages);
        this.authors = new TreeSet<>(authors);
        this.replayMicros = replay.toNanos() / 1000;
        this.stallTimeoutMs = stallTimeout.toMillis();
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.clock = clock;
    }

    /** The Jetstream subscribe URLs, in fail-over order. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** Keyword filter name → terms, in the order given; empty = every post. */
    public Map<String, List<String>> keywords() {
        return java.util.Collections.unmodifiableMap(keywords);
    }

    /** Wanted languages (lower case); empty = any. */
    public Set<String> languages() {
        return java.util.Collections.unmodifiableSet(languages);
    }

    /** Wanted author DIDs, sent as {@code wantedDids}; empty = everyone. */
    public Set<String> authors() {
        return java.util.Collections.unmodifiableSet(authors);
    }

    /** How far before the last emitted {@code time_us} a (re)connect replays, microseconds. */
    public long replayMicros() {
        return replayMicros;
    }

    public long stallTimeoutMs() {
        return stallTimeoutMs;
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public long initialBackoffMs() {
        return initialBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    public SourceClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "JetstreamSourceConfig{endpoints=" + endpoints + ", keywords=" + keywords.keySet() + ", languages="
                + languages + ", authors=" + authors.size() + ", replayMicros=" + replayMicros + ", stallTimeoutMs="
                + stallTimeoutMs + ", backoff=" + initialBackoffMs + ".." + maxBackoffMs + " ms}";
    }
}
