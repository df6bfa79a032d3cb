package io.sparknas.export;

import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer.Type;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained detector in deployable form, the common ground of every export (fp32 ONNX, int8 QDQ ONNX, the integer
 * reference): its operators in graph order, each convolution with its BatchNorm folded in (weights scaled by
 * {@code γ / σ} per output channel, bias {@code β − μ·γ/σ}, {@code σ} the running standard deviation with ε),
 * depthwise weights in ONNX's {@code [C, 1, k, k]} layout, DL4J's "same" padding written out (the extra row and
 * column at the bottom and right).
 *
 * @param graph the layer graph the network was built for (tensor 0 its input, tensor {@code i + 1} op {@code i}'s
 *              output)
 * @param ops   the operators in order
 */
public record FoldedDetector(LayerGraph graph, List<Op> ops) {

    /** One operator. */
    public sealed interface Op permits Conv, Add {
        /** The layer graph's layer this operator is. */
        Layer layer();
    }

    /**
     * A convolution with its BatchNorm folded in, and ReLU6 when {@code relu6}.
     *
     * @param weights {@code [out, in / group, k, k]}
     * @param bias    {@code [out]}
     * @param pads    top, left, bottom, right
     */
    public record Conv(Layer layer, int input, float[] weights, long[] weightShape, float[] bias, int[] pads,
                       int group, boolean relu6) implements Op {
    }

    /** An element-wise sum (a residual connection). */
    public record Add(Layer layer, int left, int right) implements Op {
    }

    /** The detector {@code network}, built for {@code graph} by {@link io.sparknas.net.DetectorNetworkBuilder}. */
    public static FoldedDetector of(ComputationGraph network, LayerGraph graph) {
        List<Op> ops = new ArrayList<>();
        List<Layer> layers = graph.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            switch (layer.op()) {
                case CONV, DEPTHWISE -> ops.add(conv(network, layer, last));
                case ADD -> ops.add(new Add(layer, layer.inputs().get(0), layer.inputs().get(1)));
                default -> throw new IllegalArgumentException("layer " + layer.name() + ": " + layer.op()
                        + " is not part of a detector and cannot be exported");
            }
        }
        return new FoldedDetector(graph, List.copyOf(ops));
    }

    private static Conv conv(ComputationGraph network, Layer layer, boolean last) {
        org.deeplearning4j.nn.api.Layer conv = network.getLayer(layer.name());
        if (conv == null || conv.type() != Type.CONVOLUTIONAL) {
            throw new IllegalArgumentException("the network has no convolution " + layer.name()
                    + ": it was not built for this layer graph");
        }
        boolean depthwise = layer.op() == LayerOp.DEPTHWISE;
        INDArray weights = conv.getParam("W").castTo(DataType.FLOAT);
        weights = (depthwise ? weights.permute(2, 3, 0, 1) : weights).dup('c');
        int outChannels = layer.out().channels();
        INDArray bias;
        if (last) {
            bias = conv.getParam("b").castTo(DataType.FLOAT).reshape(outChannels).dup();
        } else {
            INDArray[] folded = fold(network, layer.name() + ".bn", outChannels);
            for (int c = 0; c < outChannels; c++) {
                weights.slice(c).muli(folded[0].getDouble(c));
            }
            bias = folded[1];
        }
        int k = layer.kernel();
        int s = layer.stride();
        int[] vertical = samePadding(layer.in().height(), layer.out().height(), k, s);
        int[] horizontal = samePadding(layer.in().width(), layer.out().width(), k, s);
        return new Conv(layer, layer.inputs().get(0), weights.data().asFloat(), weights.shape(),
                bias.data().asFloat(), new int[] {vertical[0], horizontal[0], vertical[1], horizontal[1]},
                depthwise ? outChannels : 1, layer.activation() == io.sparknas.cost.Activation.RELU6);
    }

    /** A BatchNorm in inference form: {scale, shift} per channel. */
    private static INDArray[] fold(ComputationGraph network, String name, int channels) {
        org.deeplearning4j.nn.api.Layer bn = network.getLayer(name);
        if (bn == null || !(bn.conf().getLayer() instanceof BatchNormalization config)) {
            throw new IllegalArgumentException("the network has no BatchNorm " + name
                    + ": it was not built for this layer graph");
        }
        Map<String, INDArray> params = bn.paramTable();
        INDArray gamma = params.get("gamma").castTo(DataType.DOUBLE).reshape(channels);
        INDArray beta = params.get("beta").castTo(DataType.DOUBLE).reshape(channels);
        INDArray mean = params.get("mean").castTo(DataType.DOUBLE).reshape(channels);
        INDArray std = params.containsKey("log10stdev")
                ? Transforms.exp(params.get("log10stdev").castTo(DataType.DOUBLE).reshape(channels).mul(Math.log(10)),
                true)
                : Transforms.sqrt(params.get("var").castTo(DataType.DOUBLE).reshape(channels).add(config.getEps()),
                true);
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        return new INDArray[] {scale.castTo(DataType.FLOAT), shift.castTo(DataType.FLOAT)};
    }

    /** DL4J's "same" padding: the total, split with the extra row or column at the end. */
    static int[] samePadding(int in, int out, int kernel, int stride) {
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return new int[] {total / 2, total - total / 2};
    }
}
