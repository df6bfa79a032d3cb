package io.sparknas.train;

import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutions of an ONNX model, in graph order, with the BatchNormalization that follows each (if any), read to
 * start one of our detectors from them: a user with weights for a MobileNetV2-style network trained elsewhere (on
 * ImageNet, say) starts the matching stem and stages from them.
 *
 * <p>ONNX names its nodes as the exporting framework likes, so layers are matched by position, not by name: the
 * k-th convolution of the model goes to our k-th convolution (stem, then each block's convolutions in order, then
 * the head) while kind and shape agree (a full convolution with group 1 and weights {@code [out, in, k, k]}, or a
 * depthwise one with group = channels and weights {@code [C, 1, k, k]}); the first disagreement ends the copy, and
 * every later layer keeps its fresh initialisation. A following BatchNormalization becomes ours (its epsilon
 * accounted for); a convolution exported with BatchNorm folded into a bias gives that bias as our BatchNorm's shift
 * with unit scale. The ONNX protobuf classes are those nd4j-api ships ({@code onnx.Onnx}).
 *
 * <p>Our detectors take RGB in [0, 1]: a stem trained on mean/std-normalised input starts off-scale and adapts
 * during training.
 */
public final class OnnxBackbone {

    /** One convolution of the ONNX model and the BatchNorm after it. */
    record Convolution(String name, long[] shape, long group, float[] weights, float[] bias, Norm norm) {
    }

    /** A BatchNormalization's parameters. */
    record Norm(float[] scale, float[] shift, float[] mean, float[] variance, double epsilon) {
    }

    private final String source;
    private final List<Convolution> convolutions;

    private OnnxBackbone(String source, List<Convolution> convolutions) {
        this.source = source;
        this.convolutions = List.copyOf(convolutions);
    }

    /** The convolutions of the ONNX model in {@code file}. */
    public static OnnxBackbone read(Path file) throws IOException {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (org.nd4j.shade.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("train.init: " + file + " is not an ONNX model: " + e.getMessage(), e);
        }
        Onnx.GraphProto graph = model.getGraph();
        Map<String, Onnx.TensorProto> initializers = new HashMap<>();
        for (Onnx.TensorProto tensor : graph.getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
        }
        Map<String, Onnx.NodeProto> normByInput = new HashMap<>();
        for (Onnx.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("BatchNormalization")) {
                normByInput.put(node.getInput(0), node);
            }
        }
        List<Convolution> convolutions = new ArrayList<>();
        for (Onnx.NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Conv")) {
                continue;
            }
            String name = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            Onnx.TensorProto weight = initializer(initializers, node.getInput(1), file, name);
            float[] bias = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                    ? floats(initializer(initializers, node.getInput(2), file, name), file) : null;
            long group = 1;
            for (Onnx.AttributeProto attribute : node.getAttributeList()) {
                if (attribute.getName().equals("group")) {
                    group = attribute.getI();
                }
            }
            Onnx.NodeProto normNode = normByInput.get(node.getOutput(0));
            Norm norm = null;
            if (normNode != null) {
                double epsilon = 1e-5;
                for (Onnx.AttributeProto attribute : normNode.getAttributeList()) {
                    if (attribute.getName().equals("epsilon")) {
                        epsilon = attribute.getF();
                    }
                }
                norm = new Norm(floats(initializer(initializers, normNode.getInput(1), file, name), file),
                        floats(initializer(initializers, normNode.getInput(2), file, name), file),
                        floats(initializer(initializers, normNode.getInput(3), file, name), file),
                        floats(initializer(initializers, normNode.getInput(4), file, name), file), epsilon);
            }
            convolutions.add(new Convolution(name, weight.getDimsList().stream().mapToLong(Long::longValue).toArray(),
                    group, floats(weight, file), bias, norm));
        }
        if (convolutions.isEmpty()) {
            throw new IOException("train.init: " + file + " has no Conv node with constant weights");
        }
        return new OnnxBackbone(file.toString(), convolutions);
    }

    /** How many convolutions the model has. */
    public int size() {
        return convolutions.size();
    }

    /**
     * Copies the model's convolutions into {@code network} (built from {@code graph}) in order, while kind and shape
     * agree.
     */
    public WeightTransfer.Report copyInto(ComputationGraph network, LayerGraph graph) {
        List<Layer> ours = WeightTransfer.convolutions(graph);
        List<String> skipped = new ArrayList<>();
        int copied = 0;
        String stop = null;
        for (int i = 0; i < ours.size(); i++) {
            Layer layer = ours.get(i);
            if (stop == null) {
                stop = i < convolutions.size() ? mismatch(layer, convolutions.get(i))
                        : "the ONNX model has only " + convolutions.size() + " convolutions";
                if (stop == null) {
                    copy(network, layer, convolutions.get(i));
                    copied++;
                    continue;
                }
                skipped.add(layer.name() + " (" + stop + "; the copy stops here)");
            } else {
                skipped.add(layer.name());
            }
        }
        return new WeightTransfer.Report(source, copied, ours.size(), skipped);
    }

    /** Null when {@code theirs} can initialise {@code layer}, else why not. */
    private static String mismatch(Layer layer, Convolution theirs) {
        long out = layer.out().channels();
        long in = layer.in().channels();
        long k = layer.kernel();
        long[] expected = layer.op() == LayerOp.DEPTHWISE ? new long[] {out, 1, k, k} : new long[] {out, in, k, k};
        long expectedGroup = layer.op() == LayerOp.DEPTHWISE ? in : 1;
        if (theirs.group() != expectedGroup || !Arrays.equals(theirs.shape(), expected)) {
            return "ONNX " + theirs.name() + " is " + Arrays.toString(theirs.shape()) + " group " + theirs.group()
                    + ", ours " + Arrays.toString(expected) + " group " + expectedGroup;
        }
        return null;
    }

    private static void copy(ComputationGraph network, Layer layer, Convolution theirs) {
        INDArray onnxWeights = Nd4j.create(theirs.weights(), theirs.shape(), 'c');
        org.deeplearning4j.nn.api.Layer conv = network.getLayer(layer.name());
        INDArray weights = conv.getParam("W");
        if (layer.op() == LayerOp.DEPTHWISE) {
            weights.assign(onnxWeights.permute(2, 3, 0, 1).reshape(weights.shape()));
        } else {
            weights.assign(onnxWeights.reshape(weights.shape()));
        }
        int channels = (int) layer.out().channels();
        Norm norm = theirs.norm();
        if (network.getVertex(layer.name() + ".bn") == null) {
            INDArray bias = conv.getParam("b");
            if (bias != null) {
                bias.assign(Nd4j.create(foldedBias(theirs, channels)).reshape(bias.shape()));
            }
            if (norm != null) {
                weights.muli(Nd4j.create(scaleOverStd(norm)).reshape(channels, 1, 1, 1));
            }
            return;
        }
        org.deeplearning4j.nn.api.Layer bn = network.getLayer(layer.name() + ".bn");
        BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
        float[] gamma = new float[channels];
        float[] beta = new float[channels];
        float[] mean = new float[channels];
        float[] variance = new float[channels]; // the normaliser squared: their variance + their epsilon
        for (int c = 0; c < channels; c++) {
            if (norm != null) {
                gamma[c] = norm.scale()[c];
                beta[c] = norm.shift()[c] + (theirs.bias() == null ? 0 : norm.scale()[c] * theirs.bias()[c]
                        / (float) Math.sqrt(norm.variance()[c] + norm.epsilon()));
                mean[c] = norm.mean()[c];
                variance[c] = (float) (norm.variance()[c] + norm.epsilon());
            } else {
                gamma[c] = 1;
                beta[c] = theirs.bias() == null ? 0 : theirs.bias()[c];
                mean[c] = 0;
                variance[c] = 1;
            }
        }
        assign(bn, "gamma", gamma);
        assign(bn, "beta", beta);
        assign(bn, "mean", mean);
        float[] stored = new float[channels];
        for (int c = 0; c < channels; c++) {
            stored[c] = (float) Math.max(1e-12, variance[c] - conf.getEps());
        }
        if (conf.isUseLogStd()) {
            float[] log10std = new float[channels];
            for (int c = 0; c < channels; c++) {
                log10std[c] = (float) Math.log10(Math.sqrt(stored[c]));
            }
            assign(bn, "log10stdev", log10std);
        } else {
            assign(bn, "var", stored);
        }
    }

    private static float[] scaleOverStd(Norm norm) {
        float[] factor = new float[norm.scale().length];
        for (int c = 0; c < factor.length; c++) {
            factor[c] = (float) (norm.scale()[c] / Math.sqrt(norm.variance()[c] + norm.epsilon()));
        }
        return factor;
    }

    /** The bias of a convolution without BatchNorm of ours: theirs, with their BatchNorm folded in if any. */
    private static float[] foldedBias(Convolution theirs, int channels) {
        float[] bias = new float[channels];
        Norm norm = theirs.norm();
        for (int c = 0; c < channels; c++) {
            float b = theirs.bias() == null ? 0 : theirs.bias()[c];
            bias[c] = norm == null ? b : (float) (norm.shift()[c]
                    + norm.scale()[c] * (b - norm.mean()[c]) / Math.sqrt(norm.variance()[c] + norm.epsilon()));
        }
        return bias;
    }

    private static void assign(org.deeplearning4j.nn.api.Layer layer, String key, float[] values) {
        INDArray param = layer.getParam(key);
        param.assign(Nd4j.create(values).reshape(param.shape()));
    }

    private static Onnx.TensorProto initializer(Map<String, Onnx.TensorProto> initializers, String name, Path file,
                                                String node) throws IOException {
        Onnx.TensorProto tensor = initializers.get(name);
        if (tensor == null) {
            throw new IOException("train.init: " + file + ": input " + name + " of " + node
                    + " is not a constant initializer");
        }
        return tensor;
    }

    private static float[] floats(Onnx.TensorProto tensor, Path file) throws IOException {
        if (tensor.getDataType() != Onnx.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IOException("train.init: " + file + ": tensor " + tensor.getName() + " is not float32");
        }
        if (tensor.getFloatDataCount() > 0) {
            float[] values = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
            return values;
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(values);
        return values;
    }
}
