package io.sparknas.export;

import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.TensorShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A trained detector as an ONNX model (opset 13), written with the ONNX schema's protobuf classes that nd4j-api
 * ships ({@code onnx.Onnx}), from its {@link FoldedDetector} form:
 *
 * <ul>
 *   <li>one {@code Conv} per convolution (BatchNorm folded in, as the cost model counts it); depthwise ones with
 *       {@code group} = channels; padding explicit;</li>
 *   <li>ReLU6 as {@code Clip(0, 6)}, residual additions as {@code Add};</li>
 *   <li>input {@value #INPUT}: {@code [N, 3, S, S]} float RGB in [0, 1], letterboxed (aspect kept, padded with 0.5
 *       grey); output {@value #OUTPUT}: the raw prediction grid {@code [N, A·(5 + C), G, G]}, decoded as
 *       {@link io.sparknas.eval.YoloDecoder} does (README, "Export and deploy").</li>
 * </ul>
 *
 * Metadata (model {@code metadata_props}) says what a user running it elsewhere needs: the canonical architecture,
 * classes, anchors, input size and preprocessing.
 */
public final class OnnxExport {

    /** Name of the model input. */
    public static final String INPUT = "images";
    /** Name of the model output. */
    public static final String OUTPUT = "predictions";
    /** The ONNX operator set the model uses. */
    public static final int OPSET = 13;
    static final long IR_VERSION = 8;

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code network}, a detector built for {@code graph}, with {@code metadata} as its
     * {@code metadata_props}.
     */
    public static byte[] export(ComputationGraph network, LayerGraph graph, Map<String, String> metadata) {
        return model(FoldedDetector.of(network, graph), metadata, false).toByteArray();
    }

    /** As {@link #export}, the protobuf message. */
    public static Onnx.ModelProto model(ComputationGraph network, LayerGraph graph, Map<String, String> metadata) {
        return model(FoldedDetector.of(network, graph), metadata, false);
    }

    /**
     * The fp32 model of {@code detector}; with {@code everyTensor} every operator's output is also a graph output
     * (named as {@link #tensorName} gives), for calibration.
     */
    public static Onnx.ModelProto model(FoldedDetector detector, Map<String, String> metadata, boolean everyTensor) {
        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("sparknas-detector");
        boolean clip = false;
        for (int i = 0; i < detector.ops().size(); i++) {
            FoldedDetector.Op op = detector.ops().get(i);
            String output = tensorName(detector, i + 1);
            if (op instanceof FoldedDetector.Conv conv) {
                String name = conv.layer().name();
                String convOut = conv.relu6() ? name + ".conv" : output;
                graph.addInitializer(floats(name + ".weight", conv.weights(), conv.weightShape()));
                graph.addInitializer(floats(name + ".bias", conv.bias(), conv.bias().length));
                graph.addNode(convNode(conv, tensorName(detector, conv.input()), name + ".weight", name + ".bias",
                        convOut));
                if (conv.relu6()) {
                    clip = true;
                    graph.addNode(Onnx.NodeProto.newBuilder().setName(name + ".relu6").setOpType("Clip")
                            .addInput(convOut).addInput("relu6.min").addInput("relu6.max").addOutput(output));
                }
            } else if (op instanceof FoldedDetector.Add add) {
                graph.addNode(Onnx.NodeProto.newBuilder().setName(add.layer().name()).setOpType("Add")
                        .addInput(tensorName(detector, add.left())).addInput(tensorName(detector, add.right()))
                        .addOutput(output));
            }
        }
        if (clip) {
            graph.addInitializer(floats("relu6.min", new float[] {0f}));
            graph.addInitializer(floats("relu6.max", new float[] {6f}));
        }
        LayerGraph layers = detector.graph();
        graph.addInput(value(INPUT, Onnx.TensorProto.DataType.FLOAT_VALUE, layers.input()));
        graph.addOutput(value(OUTPUT, Onnx.TensorProto.DataType.FLOAT_VALUE, layers.output()));
        if (everyTensor) {
            for (int t = 1; t < layers.tensorCount() - 1; t++) {
                graph.addOutput(value(tensorName(detector, t), Onnx.TensorProto.DataType.FLOAT_VALUE,
                        layers.shape(t)));
            }
        }
        return wrap(graph, metadata);
    }

    /** The name of tensor {@code t}: the input, an operator's layer name, or the output. */
    public static String tensorName(FoldedDetector detector, int t) {
        if (t == 0) {
            return INPUT;
        }
        return t == detector.ops().size() ? OUTPUT : detector.ops().get(t - 1).layer().name();
    }

    static Onnx.ModelProto wrap(Onnx.GraphProto.Builder graph, Map<String, String> metadata) {
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .setProducerName("sparknas").setModelVersion(1).setGraph(graph)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((key, value) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder()
                .setKey(key).setValue(value)));
        return model.build();
    }

    static Onnx.NodeProto convNode(FoldedDetector.Conv conv, String input, String weight, String bias, String output) {
        return convNode(conv.layer().name(), input, weight, bias, output, conv.layer().kernel(), conv.layer().stride(),
                conv.pads(), conv.group());
    }

    /**
     * A square {@code Conv} node with {@code pads} (top, left, bottom, right) and {@code group} groups; {@code bias}
     * null for a convolution without one.
     */
    static Onnx.NodeProto convNode(String name, String input, String weight, String bias, String output, int kernel,
                                   int stride, int[] pads, long group) {
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setName(name).setOpType("Conv")
                .addInput(input).addInput(weight);
        if (bias != null) {
            node.addInput(bias);
        }
        return node.addOutput(output)
                .addAttribute(ints("kernel_shape", kernel, kernel)).addAttribute(ints("strides", stride, stride))
                .addAttribute(ints("pads", pads[0], pads[1], pads[2], pads[3]))
                .addAttribute(ints("dilations", 1, 1))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("group")
                        .setType(Onnx.AttributeProto.AttributeType.INT).setI(group)).build();
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder attribute = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    static Onnx.TensorProto floats(String name, float[] values, long... shape) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return raw(name, Onnx.TensorProto.DataType.FLOAT_VALUE, raw.array(), shape);
    }

    static Onnx.TensorProto raw(String name, int dataType, byte[] bytes, long... shape) {
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder().setName(name).setDataType(dataType)
                .setRawData(ByteString.copyFrom(bytes));
        for (long dimension : shape) {
            tensor.addDims(dimension);
        }
        return tensor.build();
    }

    /** A tensor {@code [N, channels, height, width]} of {@code elementType}, N dynamic. */
    static Onnx.ValueInfoProto value(String name, int elementType, TensorShape shape) {
        Onnx.TensorShapeProto.Builder dims = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int dimension : new int[] {shape.channels(), shape.height(), shape.width()}) {
            dims.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(dimension));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(dims))).build();
    }

    /**
     * The anchors as the metadata gives them: the grid, its stride, and each anchor in grid cells (what the decoder
     * multiplies) and as fractions of the image side.
     */
    public static String anchors(io.sparknas.space.HeadSpec head, int side) {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        int grid = side / head.outputStride();
        root.put("grid", grid);
        root.put("stride", head.outputStride());
        com.fasterxml.jackson.databind.node.ArrayNode cells = root.putArray("grid_cells");
        com.fasterxml.jackson.databind.node.ArrayNode fractions = root.putArray("fractions_of_side");
        for (io.sparknas.space.Anchor anchor : head.anchors()) {
            cells.addArray().add(anchor.width()).add(anchor.height());
            fractions.addArray().add(anchor.width() / grid).add(anchor.height() / grid);
        }
        return root.toString();
    }

    /** The metadata every export carries, in a stable order. */
    public static Map<String, String> metadata(String architectureJson, List<String> classes, String anchors,
                                               int side) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("sparknas.architecture", architectureJson);
        metadata.put("sparknas.classes", String.join(",", classes));
        metadata.put("sparknas.anchors", anchors);
        metadata.put("sparknas.input", "images: float32 [N, 3, " + side + ", " + side + "], RGB in [0, 1], "
                + "letterboxed (aspect ratio kept, centred, padded with 0.5 grey)");
        metadata.put("sparknas.output", "predictions: raw YOLO grid [N, A*(5+C), G, G]; per anchor a and cell (y, x): "
                + "tx, ty, tw, th, objectness logit, C class logits; decode as README 'Export and deploy'");
        return metadata;
    }
}
