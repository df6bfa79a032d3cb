package io.sparknas.cost;

/**
 * Patch-based inference of the first stages (MCUNetV2, Lin et al. 2021).
 *
 * <p>The patch stage runs n×n times, once per spatial patch of its output; each run computes only the region of
 * every tensor that the patch needs, found by walking the receptive field back from the output patch (kernel,
 * stride and padding of each layer; regions of neighbouring patches overlap, and that overlap is recomputed). The
 * patch stage's full output tensor is held while patches fill it. Within a patch, tensor lifetimes and in-place
 * depthwise convolution follow {@link PeakMemoryPlanner}; the network input is read patch by patch (streamed from
 * the camera or Flash, as in MCUNetV2), so only its region counts.
 *
 * <p>The cut: the patch stage ends at a layer where nothing but that layer's output crosses the cut (a block
 * boundary, never inside a residual block), at the deepest output stride not above {@code cutStride}; of those,
 * the one whose output is smallest, since that buffer is held while the patches fill it. With the default 8 this
 * is MCUNetV2's choice for MobileNetV2: the blocks above 1/8 of the input resolution, ending at 28×28×32 for 224.
 */
public final class PatchPlanner {

    private PatchPlanner() {
    }

    /**
     * Plans patch-based inference.
     *
     * @param grid      patches per side (n of an n×n split); fewer are used when the cut tensor is smaller
     * @param cutStride the largest output stride the patch stage may end at
     */
    public static PatchProfile plan(LayerGraph graph, int grid, int cutStride) {
        int cut = cutLayer(graph, cutStride);
        long[] full = graph.sharedTensorBytes();
        if (cut < 0) {
            long peak = PeakMemoryPlanner.peak(graph, true);
            return new PatchProfile(-1, 1, peak, peak, 0L);
        }
        int cutTensor = cut + 1;
        TensorShape cutShape = graph.shape(cutTensor);
        int n = Math.min(grid, Math.min(cutShape.height(), cutShape.width()));
        int[][] rows = regions(graph, cut, n, true);
        boolean square = graph.input().height() == graph.input().width();
        int[][] cols = square ? rows : regions(graph, cut, n, false);
        int[] channels = new int[cutTensor];
        for (int t = 0; t < cutTensor; t++) {
            channels[t] = graph.shape(t).channels();
        }

        long[] bytes = new long[graph.tensorCount()];
        long patchPeak = 0;
        for (int i = 0; i < n; i++) {
            // On a square input patch (i, j) and patch (j, i) hold the same bytes: visit each pair once.
            for (int j = square ? i : 0; j < n; j++) {
                for (int t = 0; t < cutTensor; t++) {
                    bytes[t] = (long) rows[i][t] * cols[j][t] * channels[t];
                }
                bytes[cutTensor] = 0;
                patchPeak = Math.max(patchPeak, PeakMemoryPlanner.peak(graph, 0, cutTensor, bytes, true, full[cutTensor]));
            }
        }
        long restPeak = cutTensor < graph.size()
                ? PeakMemoryPlanner.peak(graph, cutTensor, graph.size(), full, true, 0L)
                : 0L;
        return new PatchProfile(cut, n, patchPeak, restPeak, overlapMacs(graph, cut, rows, cols));
    }

    /**
     * The last layer of the patch stage, or −1 when there is no legal cut within {@code cutStride}: among the
     * block boundaries at the deepest output stride not above {@code cutStride}, the one with the smallest output
     * tensor (the buffer held while patches fill it), the latest on ties.
     */
    public static int cutLayer(LayerGraph graph, int cutStride) {
        int inputSide = graph.input().height();
        int maxLastUse = graph.lastUse(0);
        int best = -1;
        int bestStride = 0;
        long bestBytes = Long.MAX_VALUE;
        for (int c = 0; c < graph.size() - 1; c++) {
            if (c > 0) {
                maxLastUse = Math.max(maxLastUse, graph.lastUse(c));
            }
            Layer layer = graph.layers().get(c);
            int stride = inputSide / layer.out().height();
            if (!layer.isSpatial() || stride > cutStride) {
                break;
            }
            boolean boundary = maxLastUse <= c;
            long bytes = layer.out().elements();
            if (boundary && stride > 1 && (stride > bestStride || bytes <= bestBytes)) {
                best = c;
                bestStride = stride;
                bestBytes = bytes;
            }
        }
        return best;
    }

    /**
     * For each patch index along one axis, the extent (rows or columns) of every tensor up to the cut that the
     * patch needs. Index [patch][tensor].
     */
    private static int[][] regions(LayerGraph graph, int cut, int n, boolean rowsAxis) {
        int cutTensor = cut + 1;
        int side = side(graph.shape(cutTensor), rowsAxis);
        int[][] extent = new int[n][cutTensor + 1];
        int[] lo = new int[cutTensor + 1];
        int[] hi = new int[cutTensor + 1];
        for (int p = 0; p < n; p++) {
            java.util.Arrays.fill(lo, Integer.MAX_VALUE);
            java.util.Arrays.fill(hi, Integer.MIN_VALUE);
            lo[cutTensor] = p * side / n;
            hi[cutTensor] = (p + 1) * side / n;
            for (int i = cut; i >= 0; i--) {
                Layer layer = graph.layers().get(i);
                int out = i + 1;
                if (lo[out] >= hi[out]) {
                    continue;
                }
                for (int t : layer.inputs()) {
                    int inSide = side(graph.shape(t), rowsAxis);
                    int needLo = Math.max(0, lo[out] * layer.stride() - layer.padding());
                    int needHi = Math.min(inSide, (hi[out] - 1) * layer.stride() - layer.padding() + layer.kernel());
                    lo[t] = Math.min(lo[t], needLo);
                    hi[t] = Math.max(hi[t], needHi);
                }
            }
            for (int t = 0; t <= cutTensor; t++) {
                extent[p][t] = Math.max(0, hi[t] - lo[t]);
            }
        }
        return extent;
    }

    private static long overlapMacs(LayerGraph graph, int cut, int[][] rows, int[][] cols) {
        long extra = 0;
        for (int i = 0; i <= cut; i++) {
            Layer layer = graph.layers().get(i);
            long plane = layer.out().plane();
            long macs = Macs.of(layer);
            if (macs == 0) {
                continue;
            }
            long rowSum = 0;
            long colSum = 0;
            for (int p = 0; p < rows.length; p++) {
                rowSum += rows[p][i + 1];
                colSum += cols[p][i + 1];
            }
            extra += (rowSum * colSum - plane) * (macs / plane);
        }
        return extra;
    }

    private static int side(TensorShape shape, boolean rowsAxis) {
        return rowsAxis ? shape.height() : shape.width();
    }
}
