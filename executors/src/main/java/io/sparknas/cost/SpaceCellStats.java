package io.sparknas.cost;

/**
 * What sampling one (resolution, width) cell found: how many architectures fit the target, and how much
 * compute the fitting ones have (MCUNet's proxy for the accuracy a configuration can reach).
 *
 * @param cell            the cell
 * @param samples         architectures sampled
 * @param feasible        of which fit every budget
 * @param sramViolations  samples over the SRAM budget
 * @param flashViolations samples over the Flash budget
 * @param latencyViolations samples over the latency budget
 * @param meanMacs        mean MACs of the feasible samples (0 when none)
 * @param p10Macs         10th percentile of feasible MACs
 * @param p50Macs         median of feasible MACs
 * @param p90Macs         90th percentile of feasible MACs
 * @param maxMacs         largest feasible MACs
 * @param medianPeakSram  median peak SRAM bytes of all samples, under the deciding plan
 * @param seed            the seed the cell was sampled with
 */
public record SpaceCellStats(SpaceCell cell, int samples, int feasible, int sramViolations, int flashViolations,
                             int latencyViolations, double meanMacs, long p10Macs, long p50Macs, long p90Macs,
                             long maxMacs, long medianPeakSram, long seed) implements java.io.Serializable {

    /** Share of samples that fit, 0 … 1. */
    public double feasibleFraction() {
        return samples == 0 ? 0.0 : (double) feasible / samples;
    }
}
