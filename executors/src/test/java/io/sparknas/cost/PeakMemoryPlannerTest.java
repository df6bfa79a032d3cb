package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeakMemoryPlannerTest {

    @Test
    void residualInputStaysLiveUntilTheAdd() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(4, 4, 2));
        int x = b.conv("a", b.input(), 2, 1, 1, Activation.RELU6);   // tensor 1: 32 B
        int e = b.conv("expand", x, 8, 1, 1, Activation.RELU6);       // tensor 2: 128 B
        int d = b.depthwise("dw", e, 3, 1, Activation.RELU6);          // tensor 3: 128 B
        int p = b.conv("project", d, 2, 1, 1, Activation.NONE);       // tensor 4: 32 B
        b.add("add", x, p);                                            // tensor 5: 32 B
        LayerGraph graph = b.build();

        long[] layerByLayer = PeakMemoryPlanner.profile(graph, false).stepBytes();
        assertArrayEquals(new long[] {
            32 + 32,            // input + a
            32 + 128,           // a (held) + expand
            32 + 128 + 128,     // a held + expand in + dw out
            32 + 128 + 32,      // a held + dw + project
            32 + 32 + 32,       // a + project + add
        }, layerByLayer);

        long[] inPlace = PeakMemoryPlanner.profile(graph, true).stepBytes();
        assertEquals(32 + 128 + 16, inPlace[2], "dw shares its buffer plus one 4x4 channel");
        assertEquals(layerByLayer[0], inPlace[0]);
    }

    @Test
    void depthwiseCannotOverwriteAnInputStillNeededByTheSkip() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(4, 4, 2));
        int d = b.depthwise("dw", b.input(), 3, 1, Activation.RELU6);
        int p = b.conv("project", d, 2, 1, 1, Activation.NONE);
        b.add("add", b.input(), p);
        LayerGraph graph = b.build();
        assertEquals(32 + 32, PeakMemoryPlanner.profile(graph, true).at(0));
        assertEquals(PeakMemoryPlanner.profile(graph, false).peak(), PeakMemoryPlanner.profile(graph, true).peak());
    }

    @Test
    void strideTwoDepthwiseInPlaceKeepsTheLargerBuffer() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(8, 8, 4));
        b.depthwise("dw", b.input(), 3, 2, Activation.RELU6);
        LayerGraph graph = b.build();
        assertEquals(256 + 64, PeakMemoryPlanner.profile(graph, false).peak());
        assertEquals(256 + 16, PeakMemoryPlanner.profile(graph, true).peak());
    }

    @Test
    void scratchOfAFullConvolutionCounts() {
        LayerGraph.Builder b = LayerGraph.builder(new TensorShape(4, 4, 3));
        b.conv("conv", b.input(), 4, 5, 1, Activation.RELU6);
        LayerGraph graph = b.build();
        assertEquals(48 + 64 + 4 * 25 * 3, PeakMemoryPlanner.profile(graph, false).peak());
    }
}
