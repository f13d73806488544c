package io.tidings.dashboard.browser;

import io.tidings.dashboard.fixture.FixtureLake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A small lake whose contents the page tests know: 80 posts over two days on two platforms, 12
 * authors with fixed follower counts, every sentiment and some posts unscored, a few entities
 * (Bitcoin in most posts) and hashtags, and issue 21's signals on the scored posts (every
 * emotion, some offensive, hateful or ironic; none on the unscored ones). The tests still compare the page with SQL over the
 * lake, never with numbers written here.
 */
final class KnownLake {
    static final Instant START = Instant.parse("2026-11-24T06:00:00Z");
    static final String[] SENTIMENTS = {"positive", "neutral", "negative", "positive", null};
    static final String[] TAGS = {"btc", "crypto", "hodl", "markets"};
    static final String[] EMOTIONS = {"anger", "joy", "optimism", "sadness"};

    private KnownLake() {}

    static FixtureLake write(Path root) throws java.io.IOException {
        java.nio.file.Files.createDirectories(root);
        FixtureLake lake = FixtureLake.at(root);
        for (int i = 0; i < 80; i++) {
            add(lake, i, START.plusSeconds(i * 1800L + (i % 7) * 60L));
        }
        lake.commit();
        return lake;
    }

    /** One post, its fields derived from {@code i} so that every sentiment, author and entity recurs. */
    static FixtureLake.Post add(FixtureLake lake, int i, Instant createdAt) {
        boolean bitcoin = i % 5 != 0;
        boolean satoshi = i % 4 == 1;
        boolean london = i % 6 == 2;
        StringBuilder text = new StringBuilder("Post " + i + ":");
        if (bitcoin) text.append(" Bitcoin moves");
        if (satoshi) text.append(" says Satoshi Nakamoto");
        if (london) text.append(" from London");
        text.append(" \uD83D\uDE80 #").append(TAGS[i % TAGS.length]);
        FixtureLake.Post post = lake.post((i % 3 == 0 ? "bluesky:" : "x:") + "p" + i, createdAt, text.toString());
        post.platform = i % 3 == 0 ? "bluesky" : "x";
        post.url = post.platform.equals("x") ? "https://x.com/u/status/" + i : "https://bsky.app/profile/u/post/" + i;
        int author = i % 12;
        post.authorId = "a" + author;
        post.authorHandle = "author" + author;
        post.authorName = "Author " + author;
        post.authorFollowers = 100L * (author + 1) * (author + 1);
        post.likeCount = (long) (i * 7 % 50);
        post.repostCount = (long) (i % 9);
        post.replyCount = (long) (i % 4);
        post.quoteCount = 0L;
        post.hashtags = i % 3 == 0 && i % 4 != 0 ? List.of(TAGS[i % TAGS.length], "btc") : List.of(TAGS[i % TAGS.length]);
        post.matchedRules = List.of("btc");
        post.lang = "en";
        post.langDetected = i % 10 == 9 ? "de" : "en";
        String sentiment = SENTIMENTS[i % SENTIMENTS.length];
        if (sentiment != null) {
            post.sentiment = sentiment;
            post.pPositive = sentiment.equals("positive") ? 0.8 : 0.1;
            post.pNeutral = sentiment.equals("neutral") ? 0.8 : 0.1;
            post.pNegative = sentiment.equals("negative") ? 0.8 : 0.1;
            post.modelVersion = "fixture-model";
            post.signals(EMOTIONS[i % EMOTIONS.length], 0.5 + (i % 5) / 10.0, i % 7 == 0 ? 0.8 : 0.1,
                    i % 11 == 0 ? 0.7 : 0.2, i % 3 == 1 ? 0.6 : 0.3);
        }
        if (bitcoin) lake.entity(post, "Bitcoin", "ORG");
        if (satoshi) lake.entity(post, "Satoshi Nakamoto", "PER");
        if (london) lake.entity(post, "London", "LOC");
        return post;
    }
}
