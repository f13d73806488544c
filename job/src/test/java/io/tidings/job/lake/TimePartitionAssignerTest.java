package io.tidings.job.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.athena.LakeLayout;
import io.tidings.athena.LakeTables;
import java.time.Instant;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Each lake table's rows go to the folder of their own partition time, as the table's description names it. */
class TimePartitionAssignerTest {
    private static final long MILLIS = Instant.parse("2025-03-09T23:59:59.999Z").toEpochMilli();

    @Test
    void aTableRowGoesToTheFolderOfItsPartitionTimeColumn() {
        GenericRecord post = new GenericData.Record(LakeSchema.of(LakeTables.POSTS));
        post.put("created_at", MILLIS);
        assertThat(TimePartitionAssigner.byColumn(LakeLayout.HOUR, LakeTables.POSTS.partitionTime()).getBucketId(post, null))
                .isEqualTo("dt=2025-03-09/hour=23");
        assertThat(TimePartitionAssigner.byColumn(LakeLayout.DAY, LakeTables.POSTS.partitionTime()).getBucketId(post, null))
                .isEqualTo("dt=2025-03-09");

        GenericRecord tombstone = new GenericData.Record(LakeSchema.of(LakeTables.TOMBSTONES));
        tombstone.put("deleted_at", MILLIS + 1);
        assertThat(TimePartitionAssigner.byColumn(LakeLayout.HOUR, LakeTables.TOMBSTONES.partitionTime())
                .getBucketId(tombstone, null)).isEqualTo("dt=2025-03-10/hour=00");
    }

    @Test
    void aRowWithoutItsPartitionTimeIsAnErrorNamingTheColumn() {
        GenericRecord entity = new GenericData.Record(LakeSchema.of(LakeTables.ENTITIES));
        assertThatThrownBy(() -> TimePartitionAssigner.byColumn(LakeLayout.HOUR, LakeTables.ENTITIES.partitionTime())
                .getBucketId(entity, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("created_at");
    }
}
