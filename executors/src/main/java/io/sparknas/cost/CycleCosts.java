package io.sparknas.cost;

/**
 * Per-operator cycle costs of a microcontroller's int8 kernels, for latency estimates.
 *
 * @param perMacConv       cycles per MAC of a k×k (k > 1) full convolution
 * @param perMacPointwise  cycles per MAC of a 1×1 convolution
 * @param perMacDepthwise  cycles per MAC of a depthwise convolution
 * @param perMacDense      cycles per MAC of a fully connected layer
 * @param perElementAdd    cycles per output element of a residual addition (with requantization)
 * @param perElementPool   cycles per input element of global average pooling
 * @param perLayer         fixed cycles per layer (call, loop set-up, requantization tables)
 */
public record CycleCosts(double perMacConv, double perMacPointwise, double perMacDepthwise, double perMacDense,
                         double perElementAdd, double perElementPool, double perLayer)
        implements java.io.Serializable {

    public CycleCosts {
        double[] all = {perMacConv, perMacPointwise, perMacDepthwise, perMacDense, perElementAdd, perElementPool, perLayer};
        for (double value : all) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("cycle costs must be finite and non-negative, got " + value);
            }
        }
    }
}
