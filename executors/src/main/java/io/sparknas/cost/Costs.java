package io.sparknas.cost;

import java.util.List;

/**
 * The hardware costs of one network on one target, and whether it fits.
 *
 * @param macs                 multiply-accumulates per inference
 * @param params               parameters with BatchNorm folded
 * @param flash                Flash bytes by part
 * @param peakLayerByLayer     peak SRAM bytes of activations, plan (a)
 * @param peakInPlace          peak SRAM bytes with in-place depthwise, plan (b)
 * @param patch                patch-based plan (c)
 * @param plan                 the plan that decides feasibility
 * @param latencyMs            estimated latency under {@code plan} (patch overlap recomputation included)
 * @param violations           broken budgets; empty when the network fits
 */
public record Costs(long macs, long params, FlashFootprint flash, long peakLayerByLayer, long peakInPlace,
                   PatchProfile patch, MemoryPlan plan, double latencyMs, List<Violation> violations)
        implements java.io.Serializable {

    public Costs {
        violations = List.copyOf(violations);
    }

    /** Peak activation bytes under a plan. */
    public long peak(MemoryPlan which) {
        return switch (which) {
            case LAYER_BY_LAYER -> peakLayerByLayer;
            case IN_PLACE -> peakInPlace;
            case PATCH -> patch.peak();
        };
    }

    /** Peak activation bytes under the plan that decides feasibility. */
    public long peakSram() {
        return peak(plan);
    }

    /** Whether every budget holds. */
    public boolean feasible() {
        return violations.isEmpty();
    }

    /** The first broken budget's name, or the empty string. */
    public String violatedBudget() {
        return violations.isEmpty() ? "" : violations.get(0).budget();
    }
}
