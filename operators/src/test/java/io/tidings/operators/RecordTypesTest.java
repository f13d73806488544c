package io.tidings.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.records.DeadLetter;
import io.tidings.records.EntityMention;
import io.tidings.records.Post;
import io.tidings.records.RawRecord;
import io.tidings.records.Tombstone;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The records that live in Flink state (posts in flight in the async enrichment operator, raw
 * records in the sources' hand-over, dead letters and tombstones on their way to the sinks) must be
 * Flink POJOs all the way down: Flink's POJO serializer lets a field be added or removed and still
 * restores a checkpoint taken before, where a Kryo fallback (a "generic type") cannot. A new field
 * of a type Flink cannot analyse would silently make every retained checkpoint unrestorable after
 * an upgrade; this test fails first.
 */
class RecordTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {Post.class, RawRecord.class, DeadLetter.class, Tombstone.class, EntityMention.class})
    void isAPojoWithNoGenericTypeInside(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericTypesIn(info, type.getSimpleName())).as("fields Flink would serialize with Kryo").isEmpty();
        assertThat(info.createSerializer(new SerializerConfigImpl()).snapshotConfiguration()).isNotNull();
    }

    private static List<String> genericTypesIn(TypeInformation<?> info, String path) {
        List<String> generic = new ArrayList<>();
        if (info instanceof GenericTypeInfo<?>) {
            generic.add(path + ": " + info.getTypeClass().getName());
        } else if (info instanceof ObjectArrayTypeInfo<?, ?> array) {
            generic.addAll(genericTypesIn(array.getComponentInfo(), path + "[]"));
        } else if (info instanceof CompositeType<?> composite) {
            for (String field : composite.getFieldNames()) {
                generic.addAll(genericTypesIn(composite.getTypeAt(field), path + "." + field));
            }
        }
        return generic;
    }
}
