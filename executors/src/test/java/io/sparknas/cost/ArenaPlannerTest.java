package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The static arena behind the planned peak: no two live buffers overlap, and the arena is the peak. */
class ArenaPlannerTest {

    private static final SearchSpace SPACE = TestSpaces.standard();

    /** A byte range in use while one layer runs, named for the failure message. */
    private record Range(String what, long from, long to) {
    }

    /** Every buffer in use at step {@code i}, read off the layout and the graph independently of the planner. */
    private static List<Range> live(LayerGraph graph, ArenaLayout layout, int i) {
        List<Range> ranges = new ArrayList<>();
        long[] bytes = graph.tensorBytes();
        Layer layer = graph.layers().get(i);
        for (int t = 0; t < graph.tensorCount(); t++) {
            boolean alive = Math.max(t - 1, 0) <= i && graph.lastUse(t) >= i;
            boolean overwritten = layout.inPlace()[i] && t == layer.inputs().get(0);
            if (alive && !overwritten) {
                long size = t == i + 1 && layout.inPlace()[i] ? Math.max(bytes[t], bytes[layer.inputs().get(0)])
                        : bytes[t];
                ranges.add(new Range("tensor " + t, layout.tensorOffsets()[t], layout.tensorOffsets()[t] + size));
            }
        }
        if (layout.scratchOffsets()[i] >= 0) {
            ranges.add(new Range("scratch", layout.scratchOffsets()[i],
                    layout.scratchOffsets()[i] + ScratchBuffers.of(layer)));
        }
        if (layout.temporaryOffsets()[i] >= 0) {
            ranges.add(new Range("temporary", layout.temporaryOffsets()[i],
                    layout.temporaryOffsets()[i] + bytes[i + 1] / layer.out().channels()));
        }
        return ranges;
    }

    private static void assertSound(LayerGraph graph, ArenaLayout layout, String name) {
        for (int i = 0; i < graph.size(); i++) {
            List<Range> ranges = live(graph, layout, i);
            for (Range range : ranges) {
                assertTrue(range.from() >= 0 && range.to() <= layout.bytes(), name + " step " + i + ": " + range
                        + " outside the arena of " + layout.bytes());
                assertEquals(0, range.from() % ArenaPlanner.ALIGNMENT, name + ": " + range + " is not aligned");
            }
            for (int a = 0; a < ranges.size(); a++) {
                for (int b = a + 1; b < ranges.size(); b++) {
                    Range x = ranges.get(a);
                    Range y = ranges.get(b);
                    if (x.from() < y.to() && y.from() < x.to()) {
                        fail(name + " step " + i + " (" + graph.layers().get(i).name() + "): " + x + " overlaps " + y);
                    }
                }
            }
            if (layout.inPlace()[i]) {
                assertEquals(layout.tensorOffsets()[graph.layers().get(i).inputs().get(0)],
                        layout.tensorOffsets()[i + 1], name + ": an in-place depthwise output starts at its input");
            }
        }
    }

    @Test
    void onEightyRandomArchitecturesNoLiveBuffersOverlapAndTheArenaIsThePlannedPeakWithinOnePercent() {
        SplittableRandom random = new SplittableRandom(22);
        double worst = 0;
        String worstName = "none";
        int exact = 0;
        int over = 0;
        int architectures = 80;
        for (int n = 0; n < architectures; n++) {
            Architecture architecture = SPACE.sample(random);
            LayerGraph graph = new ArchitectureLowering(SPACE).lower(architecture);
            for (boolean inPlace : new boolean[] {true, false}) {
                ArenaLayout layout = ArenaPlanner.plan(graph, inPlace);
                String name = architecture.shortName() + (inPlace ? " in-place" : " layer-by-layer");
                assertSound(graph, layout, name);
                assertEquals(PeakMemoryPlanner.peak(graph, inPlace), layout.plannedPeak(), name);
                assertTrue(layout.bytes() >= layout.plannedPeak(), name + ": an arena below the peak cannot hold it");
                if (layout.excessOverPeak() > worst) {
                    worst = layout.excessOverPeak();
                    worstName = name + ": arena " + layout.bytes() + " bytes, planned peak " + layout.plannedPeak();
                }
                exact += layout.bytes() - layout.plannedPeak() < ArenaPlanner.ALIGNMENT * graph.tensorCount() ? 1 : 0;
                over += layout.excessOverPeak() > 0.01 ? 1 : 0;
            }
        }
        System.out.printf("arena against planned peak on %d layouts: largest excess %.4f %% (%s), %d within alignment "
                + "padding, %d more than 1 %% over%n", 2 * architectures, 100 * worst, worstName, exact, over);
        assertEquals(0, over, over + " layouts more than 1 % above the planned peak; the worst " + worstName);
    }

    @Test
    void anInPlaceDepthwiseShrinksTheArenaByItsInputWhenNothingElseReadsIt() {
        LayerGraph.Builder builder = LayerGraph.builder(new TensorShape(16, 16, 8));
        int expanded = builder.conv("pw", builder.input(), 48, 1, 1, Activation.RELU6);
        int depthwise = builder.depthwise("dw", expanded, 3, 1, Activation.RELU6);
        builder.conv("project", depthwise, 8, 1, 1, Activation.NONE);
        LayerGraph graph = builder.build();
        ArenaLayout inPlace = ArenaPlanner.plan(graph, true);
        ArenaLayout separate = ArenaPlanner.plan(graph, false);
        assertEquals(16 * 16 * 48 + 16 * 16 * 8, inPlace.bytes(), "the expanded tensor beside the 8-channel input or output");
        assertEquals(2 * 16 * 16 * 48, separate.bytes(), "the expanded tensor and the depthwise output");
        assertEquals(inPlace.plannedPeak(), inPlace.bytes());
        assertEquals(separate.plannedPeak(), separate.bytes());
    }
}
