package io.tidings.job;

import io.tidings.source.bluesky.source.JetstreamSource;
import io.tidings.source.bluesky.source.JetstreamSourceBuilder;
import io.tidings.source.mastodon.source.MastodonSource;
import io.tidings.source.mastodon.source.MastodonSourceBuilder;
import io.tidings.source.mastodon.source.MastodonTimeline;
import io.tidings.source.x.source.XRule;
import io.tidings.source.x.source.XSourceMode;
import io.tidings.source.x.source.XStreamSource;
import io.tidings.source.x.source.XStreamSourceBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live sources a run's settings make, built by the sources' own builders. {@link TidingsJob}
 * builds them into the job; {@link JobSettings} builds them once more while it checks itself, so a
 * setting a source refuses ({@code --mastodon ftp://x}, a Jetstream URL with a query) is listed with
 * the other problems before anything starts. Building one is cheap: it checks and copies the
 * settings, and connects to nothing.
 */
final class JobSources {
    private JobSources() {}

    static XStreamSource x(List<XRule> rules, String bearerToken, String apiBase, boolean pollOnly, boolean compliance) {
        XStreamSourceBuilder builder = XStreamSource.builder()
                .rules(rules)
                .mode(pollOnly ? XSourceMode.POLL_RECENT_SEARCH : XSourceMode.STREAM)
                .complianceStream(compliance);
        if (bearerToken != null) {
            builder.bearerTokenFrom(bearerToken);
        }
        if (apiBase != null) {
            builder.apiBase(uri("--x-api", apiBase));
        }
        return builder.build();
    }

    static JetstreamSource bluesky(Map<String, List<String>> keywords, Set<String> languages, List<String> endpoints) {
        JetstreamSourceBuilder builder = JetstreamSource.builder().keywords(keywords).languages(languages);
        if (!endpoints.isEmpty()) {
            builder.endpoints(endpoints.stream().map(endpoint -> uri("--bluesky-endpoint", endpoint)).toList());
        }
        return builder.build();
    }

    static MastodonSource mastodon(String server, String hashtag, String list, boolean local, String token) {
        MastodonTimeline timeline = list != null ? MastodonTimeline.list(list)
                : hashtag != null ? MastodonTimeline.hashtag(hashtag, local)
                : MastodonTimeline.publicTimeline(local);
        MastodonSourceBuilder builder = MastodonSource.builder().server(uri("--mastodon", server)).timeline(timeline);
        if (token != null) {
            builder.accessTokenFrom(token);
        }
        return builder.build();
    }

    /**
     * Builds a source and adds what its builder refuses to {@code problems}, one line each, named
     * by {@code source}: the builders list their problems under a heading, one {@code "  - "} line
     * each.
     */
    static void check(List<String> problems, String source, Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            List<String> lines = e.getMessage().lines().toList();
            boolean listed = lines.size() > 1 && lines.get(0).endsWith("configuration:");
            for (String line : listed ? lines.subList(1, lines.size()) : lines) {
                problems.add(source + ": " + line.replaceFirst("^\\s*- ", ""));
            }
        }
    }

    private static URI uri(String flag, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " " + value + " is not a URL: " + e.getReason());
        }
    }
}
