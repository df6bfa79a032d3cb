package io.sparknas.cost;

import java.util.List;

/**
 * Peak SRAM of a layer graph from tensor lifetimes over the execution order.
 *
 * <p>A tensor is live from the step that produces it to the last step that reads it, so a residual input held
 * for a later addition counts at every step in between. At each step the planner sums the live tensors' bytes
 * and the layer's scratch ({@link ScratchBuffers}); the peak is the largest such sum. This is the arena size an
 * ideal (fragmentation-free) allocator needs, the figure MCUNet and TinyEngine report.
 *
 * <p>With in-place depthwise convolution (TinyEngine), a depthwise layer whose input is read by no later layer
 * writes its output over its input: the two share one buffer of the larger size plus a one-channel temporary
 * that holds a channel while it is computed. An input still needed later (the input of a residual block that
 * starts with a depthwise convolution) cannot be overwritten, so that layer keeps two buffers.
 */
public final class PeakMemoryPlanner {

    private PeakMemoryPlanner() {
    }

    /** The per-step memory of the whole graph under {@link MemoryPlan#LAYER_BY_LAYER} or {@link MemoryPlan#IN_PLACE}. */
    public static MemoryProfile profile(LayerGraph graph, boolean inPlaceDepthwise) {
        return profile(graph, 0, graph.size(), graph.sharedTensorBytes(), inPlaceDepthwise, 0L);
    }

    /** The peak of the whole graph, without keeping the per-step figures. */
    public static long peak(LayerGraph graph, boolean inPlaceDepthwise) {
        return sweep(graph, 0, graph.size(), graph.sharedTensorBytes(), inPlaceDepthwise, 0L, null);
    }

    /**
     * The per-step memory of layers {@code [from, to)}.
     *
     * @param bytes            size of every tensor in bytes (full tensors, or patch regions)
     * @param inPlaceDepthwise whether depthwise layers may overwrite their input
     * @param heldBytes        bytes held during the whole range, outside the tensors counted
     */
    public static MemoryProfile profile(LayerGraph graph, int from, int to, long[] bytes,
                                        boolean inPlaceDepthwise, long heldBytes) {
        long[] steps = new long[to - from];
        sweep(graph, from, to, bytes, inPlaceDepthwise, heldBytes, steps);
        return new MemoryProfile(from, steps);
    }

    /** The peak of layers {@code [from, to)}; see {@link #profile(LayerGraph, int, int, long[], boolean, long)}. */
    public static long peak(LayerGraph graph, int from, int to, long[] bytes, boolean inPlaceDepthwise,
                            long heldBytes) {
        return sweep(graph, from, to, bytes, inPlaceDepthwise, heldBytes, null);
    }

    /** One pass over the steps, adding each tensor when produced and freeing it after its last use. */
    private static long sweep(LayerGraph graph, int from, int to, long[] bytes, boolean inPlaceDepthwise,
                              long heldBytes, long[] steps) {
        long running = 0;
        for (int t = 0; t <= from; t++) {
            if (graph.lastUse(t) >= from) {
                running += bytes[t];
            }
        }
        long peak = 0;
        List<Layer> layers = graph.layers();
        for (int i = from; i < to; i++) {
            Layer layer = layers.get(i);
            int out = i + 1;
            running += bytes[out];
            long usage = running + ScratchBuffers.of(layer) + heldBytes;
            List<Integer> inputs = layer.inputs();
            if (inPlaceDepthwise && layer.op() == LayerOp.DEPTHWISE) {
                int in = inputs.get(0);
                if (graph.lastUse(in) == i) {
                    long oneChannel = bytes[out] / layer.out().channels();
                    usage += Math.max(bytes[in], bytes[out]) + oneChannel - bytes[in] - bytes[out];
                }
            }
            if (steps != null) {
                steps[i - from] = usage;
            }
            peak = Math.max(peak, usage);
            for (int k = 0; k < inputs.size(); k++) {
                int t = inputs.get(k);
                if (graph.lastUse(t) == i) {
                    running -= bytes[t];
                }
            }
            if (graph.lastUse(out) == i) {
                running -= bytes[out];
            }
        }
        return peak;
    }
}
