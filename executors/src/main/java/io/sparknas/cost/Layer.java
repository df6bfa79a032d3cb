package io.sparknas.cost;

import java.util.List;

/**
 * One operator of a {@link LayerGraph}, with the shapes it reads and writes.
 *
 * <p>Tensors are numbered: 0 is the graph input, {@code i + 1} the output of layer {@code i}. Convolutions use
 * "same" padding ({@code kernel / 2}) and fold BatchNorm into a per-channel bias.
 *
 * @param name       readable name, e.g. {@code s2.b0.dw}
 * @param op         the operator
 * @param inputs     ids of the tensors read (one, or two for {@link LayerOp#ADD})
 * @param in         shape of the first input
 * @param out        shape of the output
 * @param kernel     spatial kernel side (1 for non-convolutions)
 * @param stride     spatial stride (1 for non-convolutions)
 * @param activation activation after the layer
 */
public record Layer(String name, LayerOp op, List<Integer> inputs, TensorShape in, TensorShape out,
                    int kernel, int stride, Activation activation) implements java.io.Serializable {

    /** Whether this is a convolution (full or depthwise). */
    public boolean isConvolution() {
        return op == LayerOp.CONV || op == LayerOp.DEPTHWISE;
    }

    /** Zero padding on each side. */
    public int padding() {
        return kernel / 2;
    }

    /** Whether the output keeps a spatial layout that can be split into patches. */
    public boolean isSpatial() {
        return op != LayerOp.GLOBAL_POOL && op != LayerOp.DENSE;
    }
}
