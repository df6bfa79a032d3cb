package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-designed baseline: MobileNetV2's blocks at the largest input size that fits the target. */
class MobileNetV2BaselineTest {

    private static final SearchSpace SPACE = TestSpaces.standard();

    @Test
    void theBaselineIsEveryBlockMbconvE6K3AtFullDepthAndTheLargestFeasibleInputSize() {
        CostModel costs = new CostModel(SPACE, TestSpaces.stm32f746(), CostSettings.DEFAULT);
        Architecture baseline = MobileNetV2Baseline.choose(SPACE, costs).orElseThrow();
        for (int s = 0; s < SPACE.stages().size(); s++) {
            List<Block> blocks = baseline.stages().get(s);
            assertEquals(SPACE.stages().get(s).maxDepth(), blocks.size(), "stage " + s + " at its deepest");
            for (int b = 0; b < blocks.size(); b++) {
                assertEquals(new Block(ConvType.MBCONV, 3, 6, SPACE.skipAllowed(s, b, baseline.width())),
                        blocks.get(b));
            }
        }
        Costs chosen = costs.evaluate(baseline);
        assertTrue(chosen.feasible(), chosen.violatedBudget());
        int larger = 0;
        for (int resolution : SPACE.resolutions()) {
            for (double width : SPACE.widths()) {
                Costs other = costs.evaluate(MobileNetV2Baseline.of(SPACE, resolution, width, true));
                if (other.macs() > chosen.macs()) {
                    larger++;
                    assertFalse(other.feasible(), resolution + " px x " + width + " fits with more MACs");
                }
            }
        }
        assertTrue(larger > 0, "the space has larger baselines the target rules out");
    }

    @Test
    void aTighterTargetGetsASmallerBaselineAndAnImpossibleOneNone() {
        Target roomy = TestSpaces.stm32f746();
        Target tight = new Target("tight", roomy.core(), roomy.clockMhz(), 96 * 1024, 256 * 1024,
                roomy.runtimeSramBytes(), roomy.runtimeFlashBytes(), roomy.cycles(), roomy.latencyBudgetMs());
        long roomyMacs = new CostModel(SPACE, roomy, CostSettings.DEFAULT).evaluate(
                MobileNetV2Baseline.choose(SPACE, new CostModel(SPACE, roomy, CostSettings.DEFAULT)).orElseThrow())
                .macs();
        CostModel tightCosts = new CostModel(SPACE, tight, CostSettings.DEFAULT);
        Architecture small = MobileNetV2Baseline.choose(SPACE, tightCosts).orElseThrow();
        assertTrue(tightCosts.evaluate(small).feasible());
        assertTrue(tightCosts.evaluate(small).macs() < roomyMacs);
        Target impossible = new Target("impossible", roomy.core(), roomy.clockMhz(), 1024, 1024,
                roomy.runtimeSramBytes(), roomy.runtimeFlashBytes(), roomy.cycles(), roomy.latencyBudgetMs());
        assertTrue(MobileNetV2Baseline.choose(SPACE, new CostModel(SPACE, impossible, CostSettings.DEFAULT))
                .isEmpty());
    }
}
