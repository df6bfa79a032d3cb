package io.sparknas.export;

import io.sparknas.cost.Activation;
import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A detector as an ONNX model (opset {@value OnnxExport#OPSET}) whose BatchNorm layers normalize with the batch's
 * own statistics, as in training, and whose outputs are those statistics: for every BatchNorm the per-channel mean
 * and (biased) variance of its input over the batch and the spatial positions. This is what BatchNorm recalibration
 * of a subnet needs, so that the recalibration's forward passes can run in ONNX Runtime like the validation pass
 * ({@code eval.engine = onnxruntime}); ONNX's own {@code BatchNormalization} in training mode is not part of ONNX
 * Runtime's inference build, so the normalization is written out with {@code ReduceMean}, {@code Sub}, {@code Mul},
 * {@code Sqrt} and {@code Div}.
 *
 * <p>The convolutions keep their unfolded weights (DL4J's parameters as they are); the detection head's last
 * convolution, which has no BatchNorm, is left out.
 *
 * @param model      the ONNX model: input {@value OnnxExport#INPUT}, outputs named as {@link Statistic} says
 * @param statistics one entry per BatchNorm layer of the network, in graph order
 */
public record BatchStatisticsModel(Onnx.ModelProto model, List<Statistic> statistics) {

    /**
     * Where one BatchNorm layer's statistics come out of the model.
     *
     * @param layer    the DL4J BatchNorm layer's name
     * @param mean     the output holding the batch mean {@code [1, C, 1, 1]}
     * @param variance the output holding the batch variance {@code [1, C, 1, 1]}
     */
    public record Statistic(String layer, String mean, String variance) {
    }

    /** The batch-statistics model of {@code network}, a detector built for {@code graph}. */
    public static BatchStatisticsModel of(ComputationGraph network, LayerGraph graph) {
        Onnx.GraphProto.Builder onnx = Onnx.GraphProto.newBuilder().setName("sparknas-batch-statistics");
        List<Statistic> statistics = new ArrayList<>();
        List<Layer> layers = graph.layers();
        String[] tensor = new String[layers.size() + 1];
        tensor[0] = OnnxExport.INPUT;
        boolean clip = false;
        for (int i = 0; i < layers.size() - 1; i++) {
            Layer layer = layers.get(i);
            String name = layer.name();
            tensor[i + 1] = name;
            if (layer.op() == LayerOp.ADD) {
                onnx.addNode(node("Add", name, List.of(tensor[layer.inputs().get(0)], tensor[layer.inputs().get(1)]),
                        name));
                continue;
            }
            if (layer.op() != LayerOp.CONV && layer.op() != LayerOp.DEPTHWISE) {
                throw new IllegalArgumentException("layer " + name + ": " + layer.op()
                        + " is not part of a detector and cannot be exported");
            }
            Statistic statistic = convolution(onnx, network, layer, tensor[layer.inputs().get(0)]);
            statistics.add(statistic);
            String normalized = statistic.layer() + ".y";
            if (layer.activation() == Activation.RELU6) {
                clip = true;
                onnx.addNode(Onnx.NodeProto.newBuilder().setName(name + ".relu6").setOpType("Clip")
                        .addInput(normalized).addInput("relu6.min").addInput("relu6.max").addOutput(name));
            } else if (layer.activation() == Activation.NONE) {
                onnx.addNode(node("Identity", name + ".identity", List.of(normalized), name));
            } else {
                throw new IllegalArgumentException("layer " + name + ": activation " + layer.activation()
                        + " is not part of a detector");
            }
        }
        if (clip) {
            onnx.addInitializer(OnnxExport.floats("relu6.min", new float[] {0f}));
            onnx.addInitializer(OnnxExport.floats("relu6.max", new float[] {6f}));
        }
        onnx.addInput(OnnxExport.value(OnnxExport.INPUT, Onnx.TensorProto.DataType.FLOAT_VALUE, graph.input()));
        for (Statistic statistic : statistics) {
            int channels = (int) network.getLayer(statistic.layer()).getParam("gamma").length();
            onnx.addOutput(statisticOutput(statistic.mean(), channels));
            onnx.addOutput(statisticOutput(statistic.variance(), channels));
        }
        return new BatchStatisticsModel(OnnxExport.wrap(onnx, Map.of()), List.copyOf(statistics));
    }

    /** The convolution {@code layer} and its BatchNorm in training form; the normalized tensor is {@code BN.y}. */
    private static Statistic convolution(Onnx.GraphProto.Builder onnx, ComputationGraph network, Layer layer,
                                         String input) {
        String name = layer.name();
        org.deeplearning4j.nn.api.Layer conv = network.getLayer(name);
        String bnName = name + ".bn";
        org.deeplearning4j.nn.api.Layer bn = network.getLayer(bnName);
        if (conv == null || bn == null || !(bn.conf().getLayer() instanceof BatchNormalization config)) {
            throw new IllegalArgumentException("the network has no convolution " + name + " followed by BatchNorm "
                    + bnName + ": it was not built for this layer graph");
        }
        boolean depthwise = layer.op() == LayerOp.DEPTHWISE;
        INDArray weights = conv.getParam("W").castTo(DataType.FLOAT);
        weights = (depthwise ? weights.permute(2, 3, 0, 1) : weights).dup('c');
        int channels = layer.out().channels();
        onnx.addInitializer(OnnxExport.floats(name + ".weight", weights.data().asFloat(), weights.shape()));
        int[] vertical = FoldedDetector.samePadding(layer.in().height(), layer.out().height(), layer.kernel(),
                layer.stride());
        int[] horizontal = FoldedDetector.samePadding(layer.in().width(), layer.out().width(), layer.kernel(),
                layer.stride());
        String x = name + ".conv";
        onnx.addNode(OnnxExport.convNode(name, input, name + ".weight", null, x, layer.kernel(), layer.stride(),
                new int[] {vertical[0], horizontal[0], vertical[1], horizontal[1]}, depthwise ? channels : 1));
        Statistic statistic = new Statistic(bnName, bnName + ".batch_mean", bnName + ".batch_var");
        onnx.addNode(reduceMean(bnName + ".mean", x, statistic.mean()));
        onnx.addNode(node("Sub", bnName + ".centre", List.of(x, statistic.mean()), bnName + ".d"));
        onnx.addNode(node("Mul", bnName + ".square", List.of(bnName + ".d", bnName + ".d"), bnName + ".d2"));
        onnx.addNode(reduceMean(bnName + ".var", bnName + ".d2", statistic.variance()));
        onnx.addInitializer(OnnxExport.floats(bnName + ".eps", new float[] {(float) config.getEps()}));
        onnx.addNode(node("Add", bnName + ".var_eps", List.of(statistic.variance(), bnName + ".eps"),
                bnName + ".var_eps"));
        onnx.addNode(node("Sqrt", bnName + ".std", List.of(bnName + ".var_eps"), bnName + ".std"));
        onnx.addNode(node("Div", bnName + ".normalize", List.of(bnName + ".d", bnName + ".std"), bnName + ".z"));
        onnx.addInitializer(OnnxExport.floats(bnName + ".gamma", bn.getParam("gamma").castTo(DataType.FLOAT)
                .data().asFloat(), channels, 1, 1));
        onnx.addInitializer(OnnxExport.floats(bnName + ".beta", bn.getParam("beta").castTo(DataType.FLOAT)
                .data().asFloat(), channels, 1, 1));
        onnx.addNode(node("Mul", bnName + ".scale", List.of(bnName + ".z", bnName + ".gamma"), bnName + ".zg"));
        onnx.addNode(node("Add", bnName + ".shift", List.of(bnName + ".zg", bnName + ".beta"), bnName + ".y"));
        return statistic;
    }

    private static Onnx.NodeProto reduceMean(String name, String input, String output) {
        return Onnx.NodeProto.newBuilder().setName(name).setOpType("ReduceMean").addInput(input).addOutput(output)
                .addAttribute(OnnxExport.ints("axes", 0, 2, 3))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("keepdims")
                        .setType(Onnx.AttributeProto.AttributeType.INT).setI(1)).build();
    }

    private static Onnx.NodeProto node(String type, String name, List<String> inputs, String output) {
        return Onnx.NodeProto.newBuilder().setName(name).setOpType(type).addAllInput(inputs).addOutput(output).build();
    }

    private static Onnx.ValueInfoProto statisticOutput(String name, int channels) {
        Onnx.TensorShapeProto.Builder dims = Onnx.TensorShapeProto.newBuilder();
        dims.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        dims.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(channels));
        dims.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        dims.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(dims))).build();
    }
}
