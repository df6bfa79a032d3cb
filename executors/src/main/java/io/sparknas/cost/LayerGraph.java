package io.sparknas.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A network as a list of operators in execution order: the layer-level form that every {@link
 * io.sparknas.space.Architecture} lowers to, and that reference networks (MobileNetV2) are built in directly.
 * Every cost term and the network builder read this one form, so they agree by construction.
 *
 * <p>Immutable. Tensor lifetimes (the last layer that reads each tensor) are computed once here.
 */
public final class LayerGraph implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final TensorShape input;
    private final List<Layer> layers;
    private final int[] lastUse;
    private final long[] bytes;

    LayerGraph(TensorShape input, List<Layer> layers) {
        this.input = input;
        this.layers = List.copyOf(layers);
        this.lastUse = new int[layers.size() + 1];
        for (int t = 0; t < lastUse.length; t++) {
            lastUse[t] = t - 1;
        }
        for (int i = 0; i < layers.size(); i++) {
            for (int t : layers.get(i).inputs()) {
                lastUse[t] = Math.max(lastUse[t], i);
            }
        }
        this.bytes = new long[layers.size() + 1];
        for (int t = 0; t < bytes.length; t++) {
            bytes[t] = shape(t).elements();
        }
    }

    /** Starts a graph whose input has the given shape. */
    public static Builder builder(TensorShape input) {
        return new Builder(input);
    }

    /** The input tensor's shape (tensor 0). */
    public TensorShape input() {
        return input;
    }

    /** The layers in execution order. */
    public List<Layer> layers() {
        return layers;
    }

    /** Number of layers. */
    public int size() {
        return layers.size();
    }

    /** Number of tensors: the input plus one per layer. */
    public int tensorCount() {
        return layers.size() + 1;
    }

    /** The shape of tensor {@code t}. */
    public TensorShape shape(int t) {
        return t == 0 ? input : layers.get(t - 1).out();
    }

    /** The step (layer index) that produces tensor {@code t}; −1 for the input. */
    public static int producer(int t) {
        return t - 1;
    }

    /** The last layer index that reads tensor {@code t}; its producer's index when nothing reads it. */
    public int lastUse(int t) {
        return lastUse[t];
    }

    /** Every tensor's size in bytes with int8 activations. */
    public long[] tensorBytes() {
        return bytes.clone();
    }

    /** The same sizes without a copy, for the planners of this package, which never write to it. */
    long[] sharedTensorBytes() {
        return bytes;
    }

    /** The final output tensor's shape. */
    public TensorShape output() {
        return shape(tensorCount() - 1);
    }

    @Override
    public String toString() {
        return "LayerGraph" + Arrays.toString(layers.stream().map(Layer::name).toArray());
    }

    /** Appends layers in execution order; each method returns the id of the tensor it produces. */
    public static final class Builder {
        private final TensorShape input;
        private final List<Layer> layers = new ArrayList<>();

        private Builder(TensorShape input) {
            this.input = input;
        }

        /** The id of the graph input. */
        public int input() {
            return 0;
        }

        /** A full convolution with "same" padding. */
        public int conv(String name, int from, int outChannels, int kernel, int stride, Activation activation) {
            TensorShape in = shape(from);
            TensorShape out = new TensorShape(ceilDiv(in.height(), stride), ceilDiv(in.width(), stride), outChannels);
            return add(new Layer(name, LayerOp.CONV, List.of(from), in, out, kernel, stride, activation));
        }

        /** A depthwise convolution with "same" padding. */
        public int depthwise(String name, int from, int kernel, int stride, Activation activation) {
            TensorShape in = shape(from);
            TensorShape out = new TensorShape(ceilDiv(in.height(), stride), ceilDiv(in.width(), stride), in.channels());
            return add(new Layer(name, LayerOp.DEPTHWISE, List.of(from), in, out, kernel, stride, activation));
        }

        /** The element-wise sum of two tensors of equal shape. */
        public int add(String name, int a, int b) {
            if (!shape(a).equals(shape(b))) {
                throw new IllegalArgumentException(name + ": cannot add " + shape(a) + " and " + shape(b));
            }
            return add(new Layer(name, LayerOp.ADD, List.of(a, b), shape(a), shape(a), 1, 1, Activation.NONE));
        }

        /** Global average pooling to 1×1×C. */
        public int globalPool(String name, int from) {
            TensorShape in = shape(from);
            return add(new Layer(name, LayerOp.GLOBAL_POOL, List.of(from), in, new TensorShape(1, 1, in.channels()),
                    1, 1, Activation.NONE));
        }

        /** A fully connected layer on a 1×1×C tensor. */
        public int dense(String name, int from, int outChannels, Activation activation) {
            TensorShape in = shape(from);
            if (in.height() != 1 || in.width() != 1) {
                throw new IllegalArgumentException(name + ": dense needs a 1x1xC input, got " + in);
            }
            return add(new Layer(name, LayerOp.DENSE, List.of(from), in, new TensorShape(1, 1, outChannels), 1, 1,
                    activation));
        }

        /** The shape of tensor {@code t} built so far. */
        public TensorShape shape(int t) {
            if (t < 0 || t > layers.size()) {
                throw new IllegalArgumentException("no tensor " + t + " yet");
            }
            return t == 0 ? input : layers.get(t - 1).out();
        }

        private int add(Layer layer) {
            layers.add(layer);
            return layers.size();
        }

        /** The finished, immutable graph. */
        public LayerGraph build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException("a graph needs at least one layer");
            }
            return new LayerGraph(input, layers);
        }

        private static int ceilDiv(int a, int b) {
            return (a + b - 1) / b;
        }
    }
}
