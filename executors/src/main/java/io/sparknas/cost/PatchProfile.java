package io.sparknas.cost;

/**
 * The result of patch-based inference planning (MCUNetV2).
 *
 * @param cutLayer       index of the last layer of the patch stage; −1 when no legal cut exists and the whole
 *                       network runs as {@link MemoryPlan#IN_PLACE}
 * @param grid           patches per side actually used
 * @param patchStagePeak bytes: the patch stage's output buffer plus the largest per-patch working set
 * @param restPeak       bytes: the peak of the layers after the cut, run layer by layer with in-place depthwise
 * @param extraMacs      MACs spent recomputing the overlapping halos of neighbouring patches
 */
public record PatchProfile(int cutLayer, int grid, long patchStagePeak, long restPeak, long extraMacs) {

    /** The peak of the whole plan. */
    public long peak() {
        return Math.max(patchStagePeak, restPeak);
    }
}
