package io.tidings.operators.dedup;

import io.tidings.records.Post;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the state {@link DeduplicateByPostId} checkpoints after it let {@code mastodon:1}, {@code
 * mastodon:2} and {@code x:3} through (first versions), to the file named by the first argument.
 * Not a test: run it on the operators and records jars of the version whose checkpoints a new
 * version must restore, as was done for {@code dedup/dedup-seen-flag-flink-2.3.snapshot} (commit
 * fcefc06, before versions) with this module's test classpath:
 * {@code java -cp OLD-operators.jar:OLD-records.jar:TEST-CLASSPATH io.tidings.operators.dedup.WriteDedupSnapshot FILE}.
 */
public final class WriteDedupSnapshot {
    private WriteDedupSnapshot() {}

    public static void main(String[] args) throws Exception {
        KeySelector<Post, String> key = p -> p.postId;
        try (KeyedOneInputStreamOperatorTestHarness<String, Post, Post> harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateByPostId(Duration.ofDays(7))), key, Types.STRING)) {
            harness.open();
            for (String id : new String[] {"mastodon:1", "mastodon:2", "x:3"}) {
                Post post = new Post();
                post.postId = id;
                post.text = "first version of " + id;
                harness.processElement(post, 0);
            }
            OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1, 1), args[0]);
        }
    }
}
