package io.sparknas.run;

import io.sparknas.cost.Costs;
import io.sparknas.cost.MemoryPlan;
import io.sparknas.cost.Violation;
import java.util.stream.Collectors;

/**
 * A candidate's hardware costs as {@code candidates/} stores them: what the cost model computed when the candidate
 * was recorded, read back as stored (a reader never needs a cost model).
 *
 * @param macs                  multiply-accumulates per inference
 * @param params                parameters with BatchNorm folded
 * @param flashBytes            Flash bytes in all
 * @param peakSramLayerByLayer  peak activation bytes, layer by layer
 * @param peakSramInPlace       peak activation bytes with in-place depthwise
 * @param peakSramPatch         peak activation bytes with patch-based first stages
 * @param memoryPlan            the plan that decided feasibility and latency
 * @param latencyMs             estimated latency under that plan
 * @param feasible              whether every budget held
 * @param violation             every violated budget with its excess; empty when feasible
 */
public record CandidateCosts(long macs, long params, long flashBytes, long peakSramLayerByLayer,
                             long peakSramInPlace, long peakSramPatch, MemoryPlan memoryPlan, double latencyMs,
                             boolean feasible, String violation) {

    /** The stored form of the cost model's figures. */
    public static CandidateCosts of(Costs costs) {
        return new CandidateCosts(costs.macs(), costs.params(), costs.flash().total(), costs.peakLayerByLayer(),
                costs.peakInPlace(), costs.peak(MemoryPlan.PATCH), costs.plan(), costs.latencyMs(), costs.feasible(),
                costs.violations().stream().map(Violation::describe).collect(Collectors.joining("; ")));
    }

    /** Peak activation bytes under the plan that decided feasibility. */
    public long peakSram() {
        return switch (memoryPlan) {
            case LAYER_BY_LAYER -> peakSramLayerByLayer;
            case IN_PLACE -> peakSramInPlace;
            case PATCH -> peakSramPatch;
        };
    }
}
