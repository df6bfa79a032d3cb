package io.sparknas.export;

import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import io.sparknas.cost.TensorShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer.Type;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A trained detector as an ONNX model (opset 13), written with the ONNX schema's protobuf classes that nd4j-api
 * ships ({@code onnx.Onnx}). The model is the network of {@link io.sparknas.net.DetectorNetworkBuilder} for its
 * {@link LayerGraph}, in inference form:
 *
 * <ul>
 *   <li>each convolution with its BatchNorm folded in: weights scaled by {@code γ / σ} per output channel, bias
 *       {@code β − μ·γ/σ} ({@code σ} the running standard deviation, ε included), so the deployed network is one
 *       {@code Conv} per convolution, as the cost model counts it;</li>
 *   <li>depthwise convolutions as {@code Conv} with {@code group} = channels; "same" padding written out as explicit
 *       pads, the extra row and column at the bottom and right (DL4J's convention);</li>
 *   <li>ReLU6 as {@code Clip(0, 6)}, residual additions as {@code Add};</li>
 *   <li>input {@value #INPUT}: {@code [N, 3, S, S]} float RGB in [0, 1], letterboxed (aspect kept, padded); output
 *       {@value #OUTPUT}: the raw prediction grid {@code [N, A·(5 + C), G, G]}, decoded as
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
    private static final long IR_VERSION = 8;

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code network}, a detector built for {@code graph}, with {@code metadata} as its
     * {@code metadata_props}.
     */
    public static byte[] export(ComputationGraph network, LayerGraph graph, Map<String, String> metadata) {
        return model(network, graph, metadata).toByteArray();
    }

    /** As {@link #export}, the protobuf message. */
    public static Onnx.ModelProto model(ComputationGraph network, LayerGraph graph, Map<String, String> metadata) {
        Onnx.GraphProto.Builder onnxGraph = Onnx.GraphProto.newBuilder().setName("sparknas-detector");
        String[] names = new String[graph.tensorCount()];
        names[0] = INPUT;
        List<Layer> layers = graph.layers();
        boolean clipBounds = false;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            List<String> inputs = layer.inputs().stream().map(t -> names[t]).toList();
            String output = last ? OUTPUT : layer.name();
            switch (layer.op()) {
                case CONV, DEPTHWISE -> {
                    boolean activated = layer.activation() == io.sparknas.cost.Activation.RELU6;
                    String convOut = activated ? layer.name() + ".conv" : output;
                    convolution(onnxGraph, network, layer, inputs.get(0), convOut, last);
                    if (activated) {
                        clipBounds = true;
                        onnxGraph.addNode(Onnx.NodeProto.newBuilder().setName(layer.name() + ".relu6")
                                .setOpType("Clip").addInput(convOut).addInput("relu6.min").addInput("relu6.max")
                                .addOutput(output));
                    }
                }
                case ADD -> onnxGraph.addNode(Onnx.NodeProto.newBuilder().setName(layer.name()).setOpType("Add")
                        .addAllInput(inputs).addOutput(output));
                default -> throw new IllegalArgumentException("layer " + layer.name() + ": " + layer.op()
                        + " is not part of a detector and cannot be exported");
            }
            names[i + 1] = output;
        }
        if (clipBounds) {
            onnxGraph.addInitializer(tensor("relu6.min", new float[] {0f}));
            onnxGraph.addInitializer(tensor("relu6.max", new float[] {6f}));
        }
        TensorShape in = graph.input();
        TensorShape out = graph.output();
        onnxGraph.addInput(value(INPUT, in.channels(), in.height(), in.width()));
        onnxGraph.addOutput(value(OUTPUT, out.channels(), out.height(), out.width()));
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .setProducerName("sparknas").setModelVersion(1).setGraph(onnxGraph)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((key, value) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder()
                .setKey(key).setValue(value)));
        return model.build();
    }

    /** One convolution with its BatchNorm folded in (or, for the prediction layer, its own bias). */
    private static void convolution(Onnx.GraphProto.Builder onnxGraph, ComputationGraph network, Layer layer,
                                    String input, String output, boolean last) {
        org.deeplearning4j.nn.api.Layer conv = network.getLayer(layer.name());
        if (conv == null || conv.type() != Type.CONVOLUTIONAL) {
            throw new IllegalArgumentException("the network has no convolution " + layer.name()
                    + ": it was not built for this layer graph");
        }
        boolean depthwise = layer.op() == LayerOp.DEPTHWISE;
        INDArray weights = conv.getParam("W").castTo(DataType.FLOAT);
        if (depthwise) {
            weights = weights.permute(2, 3, 0, 1).dup('c');
        } else {
            weights = weights.dup('c');
        }
        int outChannels = layer.out().channels();
        INDArray bias;
        if (last) {
            bias = conv.getParam("b").castTo(DataType.FLOAT).reshape(outChannels).dup();
        } else {
            Folded folded = fold(network, layer.name() + ".bn", outChannels);
            for (int c = 0; c < outChannels; c++) {
                weights.slice(c).muli(folded.scale().getDouble(c));
            }
            bias = folded.shift();
        }
        onnxGraph.addInitializer(tensor(layer.name() + ".weight", weights));
        onnxGraph.addInitializer(tensor(layer.name() + ".bias", bias));
        int k = layer.kernel();
        int s = layer.stride();
        int[] vertical = samePadding(layer.in().height(), layer.out().height(), k, s);
        int[] horizontal = samePadding(layer.in().width(), layer.out().width(), k, s);
        onnxGraph.addNode(Onnx.NodeProto.newBuilder().setName(layer.name()).setOpType("Conv")
                .addInput(input).addInput(layer.name() + ".weight").addInput(layer.name() + ".bias").addOutput(output)
                .addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", s, s))
                .addAttribute(ints("pads", vertical[0], horizontal[0], vertical[1], horizontal[1]))
                .addAttribute(ints("dilations", 1, 1))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("group")
                        .setType(Onnx.AttributeProto.AttributeType.INT).setI(depthwise ? outChannels : 1)));
    }

    /** A BatchNorm in inference form: {@code y = scale·x + shift} per channel. */
    private record Folded(INDArray scale, INDArray shift) {
    }

    private static Folded fold(ComputationGraph network, String name, int channels) {
        org.deeplearning4j.nn.api.Layer bn = network.getLayer(name);
        if (bn == null || !(bn.conf().getLayer() instanceof BatchNormalization config)) {
            throw new IllegalArgumentException("the network has no BatchNorm " + name
                    + ": it was not built for this layer graph");
        }
        Map<String, INDArray> params = bn.paramTable();
        INDArray gamma = params.get("gamma").castTo(DataType.DOUBLE).reshape(channels);
        INDArray beta = params.get("beta").castTo(DataType.DOUBLE).reshape(channels);
        INDArray mean = params.get("mean").castTo(DataType.DOUBLE).reshape(channels);
        INDArray std;
        if (params.containsKey("log10stdev")) {
            std = Transforms.exp(params.get("log10stdev").castTo(DataType.DOUBLE).reshape(channels)
                    .mul(Math.log(10)), true);
        } else {
            std = Transforms.sqrt(params.get("var").castTo(DataType.DOUBLE).reshape(channels).add(config.getEps()),
                    true);
        }
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        return new Folded(scale.castTo(DataType.FLOAT), shift.castTo(DataType.FLOAT));
    }

    /** DL4J's "same" padding: the total, split with the extra row or column at the end. */
    static int[] samePadding(int in, int out, int kernel, int stride) {
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    private static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder attribute = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    private static Onnx.TensorProto tensor(String name, INDArray values) {
        return tensor(name, values.dup('c').data().asFloat(), values.shape());
    }

    private static Onnx.TensorProto tensor(String name, float[] values, long... shape) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder tensor = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
        for (long dimension : shape) {
            tensor.addDims(dimension);
        }
        return tensor.build();
    }

    /** A float tensor {@code [N, channels, height, width]}, N dynamic. */
    private static Onnx.ValueInfoProto value(String name, int channels, int height, int width) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int dimension : new int[] {channels, height, width}) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(dimension));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** The metadata every export carries, in a stable order. */
    public static Map<String, String> metadata(String architectureJson, List<String> classes, String anchors,
                                               int side) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("sparknas.architecture", architectureJson);
        metadata.put("sparknas.classes", String.join(",", classes));
        metadata.put("sparknas.anchors", anchors);
        metadata.put("sparknas.input", "images: float32 [N, 3, " + side + ", " + side + "], RGB in [0, 1], "
                + "letterboxed (aspect ratio kept, padded with 0.5 grey)");
        metadata.put("sparknas.output", "predictions: raw YOLO grid [N, A*(5+C), G, G]; per anchor a and cell (y, x): "
                + "tx, ty, tw, th, objectness logit, C class logits; decode as README 'Export and deploy'");
        return metadata;
    }
}
