package io.tidings.operators.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.Post;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The de-duplication step in Flink's keyed operator test harness: real keyed state (the heap
 * backend a local run uses), real snapshots and restores, the TTL on the harness's clock.
 */
class DeduplicateByPostIdTest {
    private static final Duration TTL = Duration.ofDays(7);
    private static final long EDIT_1 = 1_700_000_100_000L;
    private static final long EDIT_2 = 1_700_000_200_000L;

    /**
     * What {@code DeduplicateByPostId} of commit fcefc06, before versions (one "seen" flag per post
     * id), checkpointed after it let {@code mastodon:1}, {@code mastodon:2} and {@code x:3} through:
     * written by {@link WriteDedupSnapshot} run on that commit's operators jar.
     */
    private static final String LEGACY_SNAPSHOT = "/dedup/dedup-seen-flag-flink-2.3.snapshot";

    @Test
    void eachVersionPassesOnceAndAnOlderVersionArrivingLatePassesToo() throws Exception {
        try (var harness = harness()) {
            harness.open();
            process(harness, post("mastodon:1", null, "first"));
            process(harness, post("mastodon:1", null, "first, delivered again"));
            process(harness, post("mastodon:1", EDIT_2, "second edit"));
            process(harness, post("mastodon:1", EDIT_2, "second edit, from the gap fill"));
            process(harness, post("mastodon:1", EDIT_1, "first edit, late"));
            process(harness, post("mastodon:1", EDIT_1, "first edit, late, again"));
            process(harness, post("x:1", null, "another post"));
            assertThat(texts(harness)).containsExactly("first", "second edit", "first edit, late", "another post");
        }
    }

    @Test
    void theVersionsSeenSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            process(harness, post("mastodon:1", null, "first"));
            process(harness, post("mastodon:1", EDIT_1, "edit"));
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            process(restored, post("mastodon:1", null, "first again"));
            process(restored, post("mastodon:1", EDIT_1, "edit again"));
            process(restored, post("mastodon:1", EDIT_2, "newer edit"));
            assertThat(texts(restored)).containsExactly("newer edit");
        }
    }

    @Test
    void aJobRestoredFromACheckpointOfTheOldOperatorStartsAndKnowsItsPosts() throws Exception {
        OperatorSubtaskState migrated;
        try (var restored = harness()) {
            restored.initializeState(resource(LEGACY_SNAPSHOT));
            restored.open();
            process(restored, post("mastodon:1", null, "stored by the old job, delivered again"));
            process(restored, post("mastodon:1", EDIT_1, "an edit after the upgrade"));
            process(restored, post("x:3", null, "stored by the old job, delivered again"));
            process(restored, post("x:4", null, "new after the upgrade"));
            assertThat(texts(restored)).containsExactly("an edit after the upgrade", "new after the upgrade");
            migrated = restored.snapshot(2, 2);
        }
        // Checkpointed again by the new operator: what it learnt from the old state is kept.
        try (var again = harness()) {
            again.initializeState(migrated);
            again.open();
            process(again, post("mastodon:1", null, "again"));
            process(again, post("mastodon:1", EDIT_1, "again"));
            process(again, post("mastodon:2", null, "again: only in the old state"));
            process(again, post("x:4", null, "again"));
            process(again, post("mastodon:2", EDIT_2, "an edit of mastodon:2"));
            assertThat(texts(again)).containsExactly("an edit of mastodon:2");
        }
    }

    @Test
    void aVersionIsForgottenOnceItsTtlHasPassed() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.setStateTtlProcessingTime(0);
            process(harness, post("mastodon:1", null, "first"));
            process(harness, post("mastodon:1", EDIT_1, "edit"));
            harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
            process(harness, post("mastodon:1", EDIT_1, "edit, within the TTL"));
            // The edit was read again at TTL - 1 ms (OnReadAndWrite); the first version was not.
            harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
            process(harness, post("mastodon:1", null, "first, after the TTL"));
            process(harness, post("mastodon:1", EDIT_1, "edit, within the TTL of its last sighting"));
            assertThat(texts(harness)).containsExactly("first", "edit", "first, after the TTL");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Post, Post> harness() throws Exception {
        KeySelector<Post, String> key = p -> p.postId;
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateByPostId(TTL)), key, Types.STRING);
    }

    private static void process(KeyedOneInputStreamOperatorTestHarness<String, Post, Post> harness, Post post)
            throws Exception {
        harness.processElement(post, 0);
    }

    private static List<String> texts(KeyedOneInputStreamOperatorTestHarness<String, Post, Post> harness) {
        return harness.extractOutputValues().stream().map(p -> p.text).collect(Collectors.toList());
    }

    static Post post(String id, Long editedAt, String text) {
        Post post = new Post();
        post.postId = id;
        post.editedAt = editedAt;
        post.text = text;
        return post;
    }

    private static String resource(String name) throws URISyntaxException {
        return Path.of(DeduplicateByPostIdTest.class.getResource(name).toURI()).toString();
    }
}
