package io.sparknas.cost;

/**
 * Where every buffer of an execution lives in one static arena: the byte offset of each tensor, of each layer's
 * scratch and of each in-place depthwise convolution's one-channel temporary. Made by {@link ArenaPlanner} from the
 * lifetimes that {@link PeakMemoryPlanner} counts, so that {@link #bytes()} can be compared with the planned peak.
 * Arrays are owned by the layout; callers read them and never write.
 *
 * @param bytes            the arena size, a multiple of {@code alignment}
 * @param plannedPeak      the peak SRAM the cost model plans for the same graph and plan
 * @param alignment        every offset is a multiple of this
 * @param tensorOffsets    per tensor (0 the input, {@code i + 1} layer {@code i}'s output)
 * @param scratchOffsets   per layer, the offset of its scratch ({@link ScratchBuffers}), −1 when it has none
 * @param temporaryOffsets per layer, the offset of its one-channel temporary when it is an in-place depthwise
 *                         convolution, else −1
 * @param inPlace          per layer, whether it writes its output over its input (then both offsets are equal)
 */
public record ArenaLayout(long bytes, long plannedPeak, int alignment, long[] tensorOffsets, long[] scratchOffsets,
                          long[] temporaryOffsets, boolean[] inPlace) {

    /** How much larger the arena is than the planned peak, as a fraction of the peak (0 when equal). */
    public double excessOverPeak() {
        return plannedPeak == 0 ? 0 : (bytes - plannedPeak) / (double) plannedPeak;
    }
}
