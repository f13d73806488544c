package io.tidings.source.common;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link SimpleVersionedSerializer} that writes with {@link DataOutputStream}: subclasses write the
 * fields in the current version and read every version from 1 to it (bytes in checkpoints outlive
 * the code that wrote them); this class holds the streams and refuses a version it does not know with
 * a message that names the type.
 */
@Internal
public abstract class DataSerializer<T> implements SimpleVersionedSerializer<T> {
    private final String typeName;
    private final int version;

    protected DataSerializer(String typeName, int version) {
        this.typeName = typeName;
        this.version = version;
    }

    protected abstract void write(T value, DataOutputStream out) throws IOException;

    /** Reads what {@link #write} wrote in {@code version} (1 to the current one). */
    protected abstract T read(DataInputStream in, int version) throws IOException;

    @Override
    public int getVersion() {
        return version;
    }

    @Override
    public byte[] serialize(T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(value, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > this.version) {
            throw new IOException("unknown " + typeName + " serializer version " + version + " (this code knows 1.."
                    + this.version + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in, version);
        }
    }
}
