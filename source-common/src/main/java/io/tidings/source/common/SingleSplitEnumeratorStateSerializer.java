package io.tidings.source.common;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.BiFunction;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: split-created flag, has-unassigned flag, then (when flagged) the split serializer's
 * version (int), length (int) and bytes, so the split format can evolve on its own.
 */
@Internal
public class SingleSplitEnumeratorStateSerializer<SplitT, StateT extends SingleSplitEnumeratorState<SplitT>>
        extends DataSerializer<StateT> {
    public static final int VERSION_1 = 1;

    private final SimpleVersionedSerializer<SplitT> splitSerializer;
    private final BiFunction<Boolean, SplitT, StateT> newState;

    /**
     * @param stateName the state's type name, for errors
     * @param newState makes the state from the split-created flag and the unassigned split (or null)
     */
    protected SingleSplitEnumeratorStateSerializer(String stateName, SimpleVersionedSerializer<SplitT> splitSerializer,
            BiFunction<Boolean, SplitT, StateT> newState) {
        super(stateName, VERSION_1);
        this.splitSerializer = splitSerializer;
        this.newState = newState;
    }

    @Override
    protected void write(StateT state, DataOutputStream out) throws IOException {
        out.writeBoolean(state.splitCreated());
        out.writeBoolean(state.unassigned().isPresent());
        if (state.unassigned().isPresent()) {
            byte[] split = splitSerializer.serialize(state.unassigned().get());
            out.writeInt(splitSerializer.getVersion());
            out.writeInt(split.length);
            out.write(split);
        }
    }

    @Override
    protected StateT read(DataInputStream in, int version) throws IOException {
        boolean created = in.readBoolean();
        SplitT unassigned = null;
        if (in.readBoolean()) {
            int splitVersion = in.readInt();
            byte[] split = new byte[in.readInt()];
            in.readFully(split);
            unassigned = splitSerializer.deserialize(splitVersion, split);
        }
        return newState.apply(created, unassigned);
    }
}
