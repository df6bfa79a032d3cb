package io.sparknas.cost;

/**
 * How the cost model judges memory.
 *
 * @param plan           the execution plan whose peak decides SRAM feasibility
 * @param patchGrid      patches per side for {@link MemoryPlan#PATCH} (MCUNetV2 uses 4)
 * @param patchCutStride the largest output stride at which the patch stage may end
 */
public record CostSettings(MemoryPlan plan, int patchGrid, int patchCutStride) implements java.io.Serializable {

    /** TinyEngine's layer-by-layer execution with in-place depthwise; 4×4 patches cut at stride 8. */
    public static final CostSettings DEFAULT = new CostSettings(MemoryPlan.IN_PLACE, 4, 8);

    public CostSettings {
        if (plan == null) {
            throw new IllegalArgumentException("plan must be set");
        }
        if (patchGrid < 1) {
            throw new IllegalArgumentException("patch grid must be at least 1, got " + patchGrid);
        }
        if (patchCutStride < 2) {
            throw new IllegalArgumentException("patch cut stride must be at least 2, got " + patchCutStride);
        }
    }
}
