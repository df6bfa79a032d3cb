package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flash, latency and feasibility on graphs small enough to compute by hand. */
class CostTermsTest {

    private static LayerGraph tiny() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(8, 8, 3));
        int x = b.conv("conv", b.input(), 4, 3, 2, Activation.RELU6);  // 4x4x4: 108 weights, 4 biases, 1,728 MACs
        x = b.depthwise("dw", x, 3, 1, Activation.RELU6);              // 36 weights, 4 biases, 576 MACs
        x = b.globalPool("pool", x);
        b.dense("fc", x, 2, Activation.NONE);                          // 8 weights, 2 biases, 8 MACs
        return b.build();
    }

    @Test
    void macsParamsAndFlashByHand() {
        LayerGraph graph = tiny();
        assertEquals(1_728 + 576 + 8, Macs.of(graph));
        assertEquals(108 + 4 + 36 + 4 + 8 + 2, Parameters.of(graph));
        FlashFootprint flash = FlashFootprint.of(graph, 1000);
        assertEquals(152, flash.weightBytes());
        assertEquals(10 * 4, flash.biasBytes());
        assertEquals(10 * 8, flash.quantBytes());
        assertEquals(152 + 40 + 80 + 1000, flash.total());
    }

    @Test
    void latencyByHand() {
        CycleCosts cycles = new CycleCosts(2.0, 1.0, 3.0, 1.5, 2.0, 0.5, 100);
        Target target = new Target("t", "Cortex-M4", 100, 1 << 20, 1 << 20, 0, 0, cycles, 0);
        double expected = (1_728 * 2.0 + 576 * 3.0 + 64 * 0.5 + 8 * 1.5 + 4 * 100) / 100_000.0;
        assertEquals(expected, LatencyModel.milliseconds(tiny(), target, 0), 1e-12);
        assertEquals(expected + 10 * 2.0 / 100_000.0, LatencyModel.milliseconds(tiny(), target, 10), 1e-12);
    }

    @Test
    void violationsSayWhichBudgetAndByHowMuch() {
        CycleCosts cycles = new CycleCosts(1, 1, 1, 1, 1, 1, 0);
        Target small = new Target("small", "Cortex-M0", 10, 300, 300, 20, 100, cycles, 0.1);
        Costs costs = new CostModel(small, CostSettings.DEFAULT).evaluate(tiny());
        assertFalse(costs.feasible());
        assertEquals(List.of("sram", "flash", "latency"), costs.violations().stream().map(Violation::budget).toList());
        // in place, the stem step holds 8x8x3 + 4x4x4 + its 4*9*3 im2col buffer; the runtime keeps 20 B more
        assertEquals(192 + 64 + 108, costs.peakInPlace());
        assertEquals("sram: needs 384 B, limit 300 B (+84 B, +28.0%)", costs.violations().get(0).describe());
        assertEquals("flash: needs 372 B, limit 300 B (+72 B, +24.0%)", costs.violations().get(1).describe());
        // (1,728 + 576 + 64 + 8) cycles at 10 MHz
        assertEquals("latency: needs 0.24 ms, limit 0.10 ms (+0.14 ms, +137.6%)", costs.violations().get(2).describe());
    }

    @Test
    void feasibleUnderTheDefaultTargetForASmallArchitecture() {
        SearchSpace space = TestSpaces.standard();
        CostModel model = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT);
        Architecture smallest = space.smallest();
        Costs costs = model.evaluate(smallest);
        assertTrue(costs.feasible(), costs.violations().toString());
        Costs largest = model.evaluate(space.largest());
        assertFalse(largest.feasible());
        assertEquals("sram", largest.violatedBudget());
        assertTrue(largest.violations().get(0).describe().matches("sram: needs [\\d,]+ B, limit 327,680 B \\(\\+[\\d,]+ B, \\+[\\d.]+%\\)"),
                largest.violations().get(0).describe());
    }
}
