package io.tidings.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import java.io.InputStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.junit.jupiter.api.Test;

/**
 * Posts are in checkpoints (the enrichment operator checkpoints the posts in flight), so a new field
 * of {@link Post} must not stop a job restored from a checkpoint written before it. Flink's POJO
 * serializer allows added fields; this holds only while {@code Post} stays a POJO to Flink.
 */
class PostStateEvolutionTest {
    /**
     * A {@code Post} serializer snapshot and one post serialized by it, as Flink 2.3 wrote them with the
     * records jar of commit fcefc06 (before {@code editedAt}): written by {@link WritePostStateBytes}.
     */
    private static final String BEFORE_EDITED_AT = "/records/post-before-edited-at-flink-2.3.bin";

    @Test
    void postIsAPojoToFlink() {
        assertThat(TypeInformation.of(Post.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void aPostCheckpointedBeforeEditedAtIsRestoredAsTheFirstVersion() throws Exception {
        TypeSerializer<Post> current = TypeInformation.of(Post.class).createSerializer(new SerializerConfigImpl());
        try (InputStream in = PostStateEvolutionTest.class.getResourceAsStream(BEFORE_EDITED_AT)) {
            DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
            TypeSerializerSnapshot<Post> old = TypeSerializerSnapshot.readVersionedSnapshot(view, getClass().getClassLoader());
            TypeSerializerSchemaCompatibility<Post> compatibility =
                    current.snapshotConfiguration().resolveSchemaCompatibility(old);
            assertThat(compatibility.isIncompatible()).as("restore refused: " + compatibility).isFalse();
            Post post = old.restoreSerializer().deserialize(view);
            assertThat(post.postId).isEqualTo("mastodon:1");
            assertThat(post.text).isEqualTo("in flight when the old job checkpointed");
            assertThat(post.likeCount).isEqualTo(3L);
            assertThat(post.hashtags).containsExactly("flink");
            assertThat(post.entities).containsExactly(new EntityMention("Flink", "ORG", 0, 5, 0.9));
            assertThat(post.editedAt).as("a field the old post did not have").isNull();
            // nor had it issue 21's signals: a post in flight then is restored without them
            assertThat(post.emotion).isNull();
            assertThat(post.emotionScore).isNull();
            assertThat(post.offensive).isNull();
            assertThat(post.offensiveScore).isNull();
            assertThat(post.hate).isNull();
            assertThat(post.hateScore).isNull();
            assertThat(post.irony).isNull();
            assertThat(post.ironyScore).isNull();
        }
    }
}
