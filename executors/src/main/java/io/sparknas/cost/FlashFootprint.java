package io.sparknas.cost;

/**
 * Flash bytes of a deployed int8 model, in bytes: int8 weights, int32 biases, per-channel requantization
 * parameters (an int32 multiplier and an int32 shift per output channel, as CMSIS-NN and TFLite Micro store them),
 * plus the target's runtime code and constant overhead.
 *
 * @param weightBytes  one byte per weight
 * @param biasBytes    four bytes per bias
 * @param quantBytes   eight bytes per output channel of each weighted layer
 * @param runtimeBytes the target's inference runtime (code, lookup tables)
 */
public record FlashFootprint(long weightBytes, long biasBytes, long quantBytes, long runtimeBytes)
        implements java.io.Serializable {

    /** Bytes per output channel for requantization: int32 multiplier + int32 shift. */
    public static final int QUANT_BYTES_PER_CHANNEL = 8;
    /** Bytes per bias: int32. */
    public static final int BIAS_BYTES = 4;

    /** The footprint of a graph on a runtime of {@code runtimeBytes}. */
    public static FlashFootprint of(LayerGraph graph, long runtimeBytes) {
        long weights = 0;
        long biases = 0;
        for (Layer layer : graph.layers()) {
            weights += Parameters.weights(layer);
            biases += Parameters.biases(layer);
        }
        return new FlashFootprint(weights, biases * BIAS_BYTES, biases * QUANT_BYTES_PER_CHANNEL, runtimeBytes);
    }

    /** Flash bytes a single layer adds (weights, biases, quantization parameters). */
    public static long layerBytes(Layer layer) {
        return Parameters.weights(layer) + Parameters.biases(layer) * (BIAS_BYTES + QUANT_BYTES_PER_CHANNEL);
    }

    /** Model bytes without the runtime. */
    public long modelBytes() {
        return weightBytes + biasBytes + quantBytes;
    }

    /** Everything that must fit in Flash. */
    public long total() {
        return modelBytes() + runtimeBytes;
    }
}
