package io.sparknas.cost;

/**
 * Temporary working memory a kernel needs while it runs, in bytes, beyond its input and output tensors.
 *
 * <p>A k×k full convolution with k > 1 uses an im2col buffer of two int16 columns of k·k·C<sub>in</sub> values
 * (CMSIS-NN's {@code arm_convolve_s8} layout): 4·k²·C<sub>in</sub> bytes. 1×1 convolutions, depthwise
 * convolutions (direct kernels), additions, pooling and dense layers need none. The one-channel buffer of an
 * in-place depthwise convolution belongs to that execution plan and is added by {@link PeakMemoryPlanner}.
 */
public final class ScratchBuffers {

    private ScratchBuffers() {
    }

    /** Scratch bytes of one layer. */
    public static long of(Layer layer) {
        if (layer.op() == LayerOp.CONV && layer.kernel() > 1) {
            return 4L * layer.kernel() * layer.kernel() * layer.in().channels();
        }
        return 0L;
    }
}
