package io.sparknas.cost;

import io.sparknas.space.Architecture;
import io.sparknas.space.GeneCodec;
import java.util.function.ToDoubleFunction;

/**
 * Steepest ascent over single live choices ({@link GeneCodec#live}) that stays inside the target's budgets: from a
 * start, repeatedly take the neighbour (one choice changed) that fits and improves {@code objective} most, until
 * none does. A local optimum no single change beats; used to find the largest subnet that fits and a benchmark's
 * best-known optimum.
 */
public final class FeasibleAscent {

    private FeasibleAscent() {
    }

    /** The local optimum reached from {@code start}; {@code start} itself when no neighbour that fits is better. */
    public static Architecture climb(GeneCodec codec, CostModel costModel, Architecture start,
                                     ToDoubleFunction<Costs> objective) {
        int[] genes = codec.encode(start);
        double value = objective.applyAsDouble(costModel.evaluate(start));
        while (true) {
            int[] best = null;
            boolean[] live = codec.live(genes);
            for (int g = 0; g < genes.length; g++) {
                if (!live[g]) {
                    continue;
                }
                for (int v = 0; v < codec.cardinality(g); v++) {
                    if (v == genes[g]) {
                        continue;
                    }
                    int[] neighbour = genes.clone();
                    neighbour[g] = v;
                    Costs costs = costModel.evaluate(codec.decode(neighbour));
                    if (costs.feasible() && objective.applyAsDouble(costs) > value) {
                        value = objective.applyAsDouble(costs);
                        best = neighbour;
                    }
                }
            }
            if (best == null) {
                return codec.decode(genes);
            }
            genes = best;
        }
    }
}
