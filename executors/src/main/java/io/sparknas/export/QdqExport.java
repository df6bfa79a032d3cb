package io.sparknas.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import onnx.Onnx;

/**
 * A detector quantized to int8 after training, written as a QDQ ONNX model (the form ONNX Runtime, ST Edge AI Core
 * and converters to TFLite read as integer operators): every activation tensor passes through
 * {@code QuantizeLinear}/{@code DequantizeLinear} with its own scale and zero point (per tensor, asymmetric,
 * {@link ActivationRange}); convolution weights are int8, symmetric per output channel ({@code scale = max|w| / 127});
 * biases are int32 at the scale {@code s_input × s_weight} of their channel, as an integer kernel accumulates them.
 * The input {@value OnnxExport#INPUT} stays float in [0, 1] and is quantized first (range [0, 1]); the output
 * {@value OnnxExport#OUTPUT} is the dequantized prediction grid, so decoding is unchanged.
 */
public final class QdqExport {

    private static final int FLOAT = Onnx.TensorProto.DataType.FLOAT_VALUE;
    private static final int INT8 = Onnx.TensorProto.DataType.INT8_VALUE;
    private static final int INT32 = Onnx.TensorProto.DataType.INT32_VALUE;

    private QdqExport() {
    }

    /** The suffix of a tensor's int8 form in the model. */
    public static final String QUANTIZED = ".q";

    /**
     * The QDQ model of {@code detector} with activation {@code ranges} (one per tensor, the input's first, as
     * {@link Calibration#ranges} gives them); with {@code exposeQuantized} every int8 activation tensor is also a
     * graph output (for tests and the integer reference).
     */
    public static Onnx.ModelProto model(FoldedDetector detector, List<ActivationRange> ranges,
                                        Map<String, String> metadata, boolean exposeQuantized) {
        int tensors = detector.graph().tensorCount();
        if (ranges.size() != tensors) {
            throw new IllegalArgumentException(ranges.size() + " activation ranges for " + tensors + " tensors");
        }
        ActivationRange[] range = ranges.toArray(ActivationRange[]::new);
        range[0] = new ActivationRange(0, 1);
        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("sparknas-detector-int8");
        for (int t = 0; t < tensors; t++) {
            String name = OnnxExport.tensorName(detector, t);
            graph.addInitializer(OnnxExport.floats(name + ".scale", new float[] {(float) range[t].scale()}));
            graph.addInitializer(OnnxExport.raw(name + ".zero_point", INT8, new byte[] {(byte) range[t].zeroPoint()}));
        }
        quantize(graph, OnnxExport.INPUT, OnnxExport.INPUT, dequantized(detector, 0));
        boolean clip = false;
        for (int i = 0; i < detector.ops().size(); i++) {
            FoldedDetector.Op op = detector.ops().get(i);
            int t = i + 1;
            String name = OnnxExport.tensorName(detector, t);
            String real = name + ".real";
            if (op instanceof FoldedDetector.Conv conv) {
                String layer = conv.layer().name();
                float inputScale = (float) range[conv.input()].scale();
                QuantizedWeights weights = QuantizedWeights.of(conv, inputScale);
                long out = conv.weightShape()[0];
                graph.addInitializer(OnnxExport.raw(layer + ".weight.q", INT8, weights.weights(), conv.weightShape()));
                graph.addInitializer(OnnxExport.floats(layer + ".weight.scale", weights.weightScales(), out));
                graph.addInitializer(OnnxExport.raw(layer + ".weight.zero_point", INT8, new byte[(int) out], out));
                graph.addInitializer(OnnxExport.raw(layer + ".bias.q", INT32, int32(weights.bias()), out));
                graph.addInitializer(OnnxExport.floats(layer + ".bias.scale", weights.biasScales(), out));
                graph.addInitializer(OnnxExport.raw(layer + ".bias.zero_point", INT32, new byte[(int) out * 4], out));
                graph.addNode(dequantizeNode(layer + ".weight", layer + ".weight.q", layer + ".weight.dq", 0));
                graph.addNode(dequantizeNode(layer + ".bias", layer + ".bias.q", layer + ".bias.dq", 0));
                String convOut = conv.relu6() ? layer + ".conv" : real;
                graph.addNode(OnnxExport.convNode(conv, dequantized(detector, conv.input()), layer + ".weight.dq",
                        layer + ".bias.dq", convOut));
                if (conv.relu6()) {
                    clip = true;
                    graph.addNode(Onnx.NodeProto.newBuilder().setName(layer + ".relu6").setOpType("Clip")
                            .addInput(convOut).addInput("relu6.min").addInput("relu6.max").addOutput(real));
                }
            } else if (op instanceof FoldedDetector.Add add) {
                graph.addNode(Onnx.NodeProto.newBuilder().setName(add.layer().name()).setOpType("Add")
                        .addInput(dequantized(detector, add.left())).addInput(dequantized(detector, add.right()))
                        .addOutput(real));
            }
            quantize(graph, name, real, dequantized(detector, t));
        }
        if (clip) {
            graph.addInitializer(OnnxExport.floats("relu6.min", new float[] {0f}));
            graph.addInitializer(OnnxExport.floats("relu6.max", new float[] {6f}));
        }
        graph.addInput(OnnxExport.value(OnnxExport.INPUT, FLOAT, detector.graph().input()));
        graph.addOutput(OnnxExport.value(OnnxExport.OUTPUT, FLOAT, detector.graph().output()));
        if (exposeQuantized) {
            for (int t = 0; t < tensors; t++) {
                graph.addOutput(OnnxExport.value(OnnxExport.tensorName(detector, t) + QUANTIZED, INT8,
                        detector.graph().shape(t)));
            }
        }
        return OnnxExport.wrap(graph, metadata);
    }

    /** The name of tensor {@code t} after dequantization: what the next operators read. */
    private static String dequantized(FoldedDetector detector, int t) {
        String name = OnnxExport.tensorName(detector, t);
        return t == detector.ops().size() ? OnnxExport.OUTPUT : name + ".dq";
    }

    /** {@code name.q = QuantizeLinear(real)}, {@code out = DequantizeLinear(name.q)}, with tensor name's parameters. */
    private static void quantize(Onnx.GraphProto.Builder graph, String name, String real, String out) {
        graph.addNode(Onnx.NodeProto.newBuilder().setName(name + ".quantize").setOpType("QuantizeLinear")
                .addInput(real).addInput(name + ".scale").addInput(name + ".zero_point").addOutput(name + QUANTIZED));
        graph.addNode(Onnx.NodeProto.newBuilder().setName(name + ".dequantize").setOpType("DequantizeLinear")
                .addInput(name + QUANTIZED).addInput(name + ".scale").addInput(name + ".zero_point").addOutput(out));
    }

    private static Onnx.NodeProto dequantizeNode(String name, String input, String output, int axis) {
        return Onnx.NodeProto.newBuilder().setName(name + ".dequantize").setOpType("DequantizeLinear")
                .addInput(input).addInput(name + ".scale").addInput(name + ".zero_point").addOutput(output)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis")
                        .setType(Onnx.AttributeProto.AttributeType.INT).setI(axis)).build();
    }

    private static byte[] int32(int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return bytes.array();
    }
}
