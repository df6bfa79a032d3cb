package io.sparknas.cost;

import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Stage 1 of TinyNAS (MCUNet) for one cell: sample architectures at a fixed resolution and width, cost each, and
 * summarise the MAC distribution of those that fit. Pure and deterministic for (root seed, cell).
 */
public final class SpaceCellSurvey implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final SearchSpace space;
    private final CostModel costModel;
    private final int samples;
    private final long rootSeed;

    public SpaceCellSurvey(SearchSpace space, CostModel costModel, int samples, long rootSeed) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        this.space = space;
        this.costModel = costModel;
        this.samples = samples;
        this.rootSeed = rootSeed;
    }

    /** Samples and costs the cell. */
    public SpaceCellStats survey(SpaceCell cell) {
        long seed = Seeds.derive(rootSeed, "space-selection", cell.resolution(), Math.round(cell.width() * 100));
        SplittableRandom random = new SplittableRandom(seed);
        long[] feasibleMacs = new long[samples];
        long[] peaks = new long[samples];
        int feasible = 0;
        int sram = 0;
        int flash = 0;
        int latency = 0;
        for (int i = 0; i < samples; i++) {
            Architecture architecture = space.sample(random, cell.resolution(), cell.width());
            Costs costs = costModel.evaluate(architecture);
            peaks[i] = costs.peakSram();
            if (costs.feasible()) {
                feasibleMacs[feasible++] = costs.macs();
            }
            for (Violation violation : costs.violations()) {
                switch (violation.budget()) {
                    case "sram" -> sram++;
                    case "flash" -> flash++;
                    default -> latency++;
                }
            }
        }
        long[] macs = Arrays.copyOf(feasibleMacs, feasible);
        Arrays.sort(macs);
        Arrays.sort(peaks);
        double mean = feasible == 0 ? 0.0 : Arrays.stream(macs).average().orElse(0.0);
        return new SpaceCellStats(cell, samples, feasible, sram, flash, latency, mean,
                percentile(macs, 0.10), percentile(macs, 0.50), percentile(macs, 0.90),
                feasible == 0 ? 0 : macs[feasible - 1], percentile(peaks, 0.50), seed);
    }

    /** Nearest-rank percentile of a sorted array; 0 for an empty one. */
    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
