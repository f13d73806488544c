package io.tidings.models;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX graphs as protobuf bytes, so tests can build real models for ONNX Runtime
 * without Python or the onnx package. Covers just the fields the fixtures need.
 */
final class OnnxGraphWriter {

    static final int FLOAT = 1;
    static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A protobuf message under construction. */
    static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Message bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    /** Declares a graph input; a dim given as a String is symbolic, as a Number fixed. */
    OnnxGraphWriter input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraphWriter output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    OnnxGraphWriter floatInitializer(String name, float[] data, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            raw.putFloat(f);
        }
        Message tensor = new Message();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(tensor.toBytes());
        return this;
    }

    /** Adds a node; attributes are name/value pairs, a long[] value is an INTS attribute, a Long an INT one. */
    OnnxGraphWriter node(String opType, List<String> nodeInputs, List<String> nodeOutputs, Object... attributes) {
        Message node = new Message();
        nodeInputs.forEach(i -> node.string(1, i));
        nodeOutputs.forEach(o -> node.string(2, o));
        node.string(3, opType + "_" + nodes.size()).string(4, opType);
        for (int a = 0; a < attributes.length; a += 2) {
            Message attribute = new Message().string(1, (String) attributes[a]);
            Object value = attributes[a + 1];
            if (value instanceof long[]) {
                for (long v : (long[]) value) {
                    attribute.varint(8, v);
                }
                attribute.varint(20, 7);
            } else {
                attribute.varint(3, ((Number) value).longValue()).varint(20, 2);
            }
            node.message(5, attribute);
        }
        nodes.add(node.toBytes());
        return this;
    }

    /** The model bytes: IR version 7, default-domain opset 11. */
    byte[] toBytes() {
        Message graph = new Message();
        nodes.forEach(n -> graph.bytes(1, n));
        graph.string(2, "fixture");
        initializers.forEach(i -> graph.bytes(5, i));
        inputs.forEach(i -> graph.bytes(11, i));
        outputs.forEach(o -> graph.bytes(12, o));
        return new Message().varint(1, 7).string(2, "tidings-tests").message(7, graph)
                .message(8, new Message().string(1, "").varint(2, 11)).toBytes();
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        Message shape = new Message();
        for (Object dim : dims) {
            Message dimension = new Message();
            if (dim instanceof Number) {
                dimension.varint(1, ((Number) dim).longValue());
            } else {
                dimension.string(2, dim.toString());
            }
            shape.message(1, dimension);
        }
        Message tensorType = new Message().varint(1, elemType).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType)).toBytes();
    }
}
