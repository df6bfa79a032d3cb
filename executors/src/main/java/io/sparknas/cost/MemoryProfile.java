package io.sparknas.cost;

/**
 * SRAM in use at each step of an execution plan, in bytes: live tensors, plus scratch, plus anything held for the
 * whole range (such as the output buffer of a patch stage).
 *
 * @param firstLayer index of the layer that {@code stepBytes[0]} belongs to
 * @param stepBytes  bytes in use while each layer runs
 */
public record MemoryProfile(int firstLayer, long[] stepBytes) {

    /** The largest step. */
    public long peak() {
        long peak = 0;
        for (long bytes : stepBytes) {
            peak = Math.max(peak, bytes);
        }
        return peak;
    }

    /** The layer index of the (first) largest step. */
    public int peakLayer() {
        int best = 0;
        for (int i = 1; i < stepBytes.length; i++) {
            if (stepBytes[i] > stepBytes[best]) {
                best = i;
            }
        }
        return firstLayer + best;
    }

    /** Bytes in use while layer {@code layer} runs. */
    public long at(int layer) {
        return stepBytes[layer - firstLayer];
    }
}
