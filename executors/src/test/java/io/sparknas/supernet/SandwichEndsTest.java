package io.sparknas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Costs;
import io.sparknas.cost.Target;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sandwich's ends by cost: in the 80 px x 0.9 cell with stm32f746's budgets and an 80 ms latency budget (the
 * default search's), no subnet that fits has more MACs than the largest end, none has fewer than the smallest, and
 * both fit.
 */
class SandwichEndsTest {

    private static final SearchSpace CELL = TestSpaces.standard().narrow(80, 0.9);

    @Test
    void theEndsAreTheCostExtremesOfTheFeasibleCell() {
        Target target = TestSpaces.stm32f746At80Ms();
        CostModel costModel = new CostModel(CELL, target, CostSettings.DEFAULT);
        SandwichEnds ends = SandwichEnds.byCost(CELL, costModel, 7);
        Costs largest = costModel.evaluate(ends.largest());
        Costs smallest = costModel.evaluate(ends.smallest());
        assertTrue(largest.feasible() && smallest.feasible(), "both ends fit");
        SplittableRandom random = new SplittableRandom(1);
        int feasible = 0;
        long mostSampled = 0;
        for (int i = 0; i < 20_000; i++) {
            Architecture sample = CELL.sample(random);
            Costs costs = costModel.evaluate(sample);
            assertTrue(costs.macs() >= smallest.macs(), "no subnet of the cell is cheaper than the smallest end: "
                    + sample.shortName());
            if (costs.feasible()) {
                feasible++;
                mostSampled = Math.max(mostSampled, costs.macs());
            }
        }
        assertTrue(feasible > 1000, "the sample covers the feasible cell: " + feasible);
        assertTrue(largest.macs() >= mostSampled, "no sampled subnet that fits has more MACs than the largest end: "
                + mostSampled + " > " + largest.macs());
        assertTrue(costModel.evaluate(CELL.largest()).macs() > 2 * largest.macs(),
                "the cell's choice extreme is far beyond the budget, which is why it is not the end");
        assertEquals(ends, SandwichEnds.byCost(CELL, costModel, 7), "the same for the same seed");
    }
}
