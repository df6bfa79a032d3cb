package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PatchPlannerTest {

    /** input 8x8x1 -> conv3x3 s2 -> 4x4x2 -> conv3x3 s1 -> 4x4x2 (cut) -> conv1x1 -> 4x4x2 */
    private static LayerGraph small() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(8, 8, 1));
        int x = b.conv("down", b.input(), 2, 3, 2, Activation.RELU6);
        x = b.conv("mix", x, 2, 3, 1, Activation.RELU6);
        b.conv("head", x, 2, 1, 1, Activation.NONE);
        return b.build();
    }

    @Test
    void regionsFollowTheReceptiveFieldByHand() {
        PatchProfile patch = PatchPlanner.plan(small(), 2, 2);
        assertEquals(1, patch.cutLayer(), "latest of the equally small stride-2 boundaries");
        // Patch (1,1): output rows [2,4) of the cut; "mix" needs rows [1,4) = 3 of "down"; "down" needs input
        // rows [1,8) = 7. Step "down": 7x7x1 input + 3x3x2 output + im2col 4*9*1 + held 4x4x2 cut buffer.
        long down = 49 + 18 + 36 + 32;
        // Step "mix": 3x3x2 input + im2col 4*9*2 + the held buffer it writes into.
        long mix = 18 + 72 + 32;
        assertEquals(Math.max(down, mix), patch.patchStagePeak());
        assertEquals(32 + 32, patch.restPeak());
        // "down" computes (3+3)^2 = 36 output pixels instead of 16, at 9*1*2 MACs each; "mix" has no overlap.
        assertEquals((36 - 16) * 18, patch.extraMacs());
    }

    @Test
    void noLegalCutFallsBackToInPlace() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(8, 8, 1));
        b.conv("only", b.input(), 2, 3, 1, Activation.RELU6);
        LayerGraph graph = b.build();
        PatchProfile patch = PatchPlanner.plan(graph, 4, 8);
        assertEquals(-1, patch.cutLayer());
        assertEquals(PeakMemoryPlanner.profile(graph, true).peak(), patch.peak());
    }
}
