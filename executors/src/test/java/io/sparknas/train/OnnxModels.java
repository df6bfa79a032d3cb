package io.sparknas.train;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Small ONNX models written directly in protobuf wire format, for tests (no ONNX exporter runs on the JVM): an
 * identity model (wrong output shape for a teacher) and a pooling + 1x1 convolution model whose output is a
 * students' prediction grid.
 */
public final class OnnxModels {

    private OnnxModels() {
    }

    /** {@code out = images}: output [N, 3, S, S]. */
    public static byte[] identity(int side) {
        byte[] node = message(strings(1, "images"), strings(2, "out"), strings(4, "Identity"));
        return model(graph(field(1, node), new byte[0], valueInfo("images", side, 3, side), valueInfo("out", side, 3, side)));
    }

    /**
     * {@code out = Conv(AveragePool(images, stride), W, B)}: output {@code [N, channels, S/stride, S/stride]}, with
     * weights from {@code seed}.
     */
    public static byte[] pooledConvolution(int side, int stride, int channels, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] weights = new float[channels * 3];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextDouble() * 4 - 2);
        }
        float[] bias = new float[channels];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (random.nextDouble() * 2 - 1);
        }
        byte[] pool = message(strings(1, "images"), strings(2, "pooled"), strings(4, "AveragePool"),
                field(5, attributeInts("kernel_shape", stride, stride)), field(5, attributeInts("strides", stride, stride)));
        byte[] conv = message(strings(1, "pooled", "W", "B"), strings(2, "out"), strings(4, "Conv"));
        byte[] initializers = concat(field(5, tensor("W", weights, channels, 3, 1, 1)),
                field(5, tensor("B", bias, channels)));
        int grid = side / stride;
        return model(graph(concat(field(1, pool), field(1, conv)), initializers, valueInfo("images", side, 3, side),
                valueInfo("out", grid, channels, grid)));
    }

    private static byte[] model(byte[] graph) {
        byte[] opset = message(strings(1, ""), varintField(2, 13));
        return message(varintField(1, 8), strings(2, "sparknas-test"), field(7, graph), field(8, opset));
    }

    private static byte[] graph(byte[] nodes, byte[] initializers, byte[] input, byte[] output) {
        return concat(nodes, strings(2, "g"), initializers, field(11, input), field(12, output));
    }

    private static byte[] valueInfo(String name, int height, int channels, int width) {
        byte[] shape = message(field(1, message(strings(2, "N"))), field(1, message(varintField(1, channels))),
                field(1, message(varintField(1, height))), field(1, message(varintField(1, width))));
        byte[] tensorType = message(varintField(1, 1), field(2, shape));
        return message(strings(1, name), field(2, message(field(1, tensorType))));
    }

    private static byte[] tensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        byte[] dimFields = new byte[0];
        for (long d : dims) {
            dimFields = concat(dimFields, varintField(1, d));
        }
        return message(dimFields, varintField(2, 1), strings(8, name), field(9, raw.array()));
    }

    private static byte[] attributeInts(String name, long... values) {
        byte[] ints = new byte[0];
        for (long v : values) {
            ints = concat(ints, varintField(8, v));
        }
        return message(strings(1, name), ints, varintField(20, 7));
    }

    private static byte[] strings(int number, String... values) {
        byte[] out = new byte[0];
        for (String value : values) {
            out = concat(out, field(number, value.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] field(int number, byte[] bytes) {
        return concat(varint((long) number << 3 | 2), varint(bytes.length), bytes);
    }

    private static byte[] varintField(int number, long value) {
        return concat(varint((long) number << 3), varint(value));
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] message(byte[]... parts) {
        return concat(parts);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
