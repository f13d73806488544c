package io.tidings.operators;

import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import java.io.FileOutputStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

/**
 * Writes a {@code Post} serializer snapshot and one post serialized by it to the file named by the
 * first argument. Not a test: run it on the records jar of the version whose checkpoints a new
 * version must restore, as was done for {@code records/post-before-edited-at-flink-2.3.bin} (commit
 * fcefc06): {@code java -cp OLD-records.jar:TEST-CLASSPATH io.tidings.operators.WritePostStateBytes FILE}.
 */
public final class WritePostStateBytes {
    private WritePostStateBytes() {}

    public static void main(String[] args) throws Exception {
        TypeSerializer<Post> serializer = TypeInformation.of(Post.class).createSerializer(new SerializerConfigImpl());
        Post post = new Post();
        post.postId = "mastodon:1";
        post.platform = "mastodon";
        post.nativeId = "1";
        post.createdAt = 1_700_000_000_000L;
        post.ingestedAt = 1_700_000_000_500L;
        post.text = "in flight when the old job checkpointed";
        post.kind = "post";
        post.likeCount = 3L;
        post.hashtags = new String[] {"flink"};
        post.entities = new EntityMention[] {new EntityMention("Flink", "ORG", 0, 5, 0.9)};
        try (FileOutputStream file = new FileOutputStream(args[0])) {
            DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(file);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
            serializer.serialize(post, out);
        }
    }
}
