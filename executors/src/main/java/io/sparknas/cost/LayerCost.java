package io.sparknas.cost;

/**
 * One row of the per-layer cost table.
 *
 * @param index           execution order
 * @param layer           the operator
 * @param macs            multiply-accumulates
 * @param params          parameters (BatchNorm folded)
 * @param weightBytes     Flash bytes: int8 weights, int32 biases, requantization parameters
 * @param activationBytes int8 bytes of the inputs and the output
 * @param scratchBytes    kernel working memory
 * @param sramLayerByLayer SRAM in use during this layer under plan (a)
 * @param sramInPlace     SRAM in use during this layer under plan (b)
 * @param latencyMs       estimated milliseconds on the target
 */
public record LayerCost(int index, Layer layer, long macs, long params, long weightBytes, long activationBytes,
                        long scratchBytes, long sramLayerByLayer, long sramInPlace, double latencyMs) {
}
