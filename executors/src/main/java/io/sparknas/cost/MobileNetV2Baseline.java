package io.sparknas.cost;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hand-designed detector a search has to beat: MobileNetV2's recipe in this space's terms — every block an
 * MBConv of expansion 6 and kernel 3 with its residual where legal, every stage at its deepest — at the input
 * resolution and width multiplier a designer would pick by hand for the target: the largest (most MACs) of the
 * space's (resolution, width) pairs that fits the target's SRAM, Flash and latency budgets. When no pair fits at
 * full depth, every stage takes its shallowest depth instead (the designer's next move).
 */
public final class MobileNetV2Baseline {

    /** MobileNetV2's expansion ratio. */
    public static final int EXPAND = 6;
    /** MobileNetV2's depthwise kernel. */
    public static final int KERNEL = 3;

    private MobileNetV2Baseline() {
    }

    /** The baseline with its costs, or empty when not even the smallest one fits the target. */
    public static Optional<Architecture> choose(SearchSpace space, CostModel costs) {
        for (boolean deepest : new boolean[] {true, false}) {
            Architecture best = null;
            long bestMacs = -1;
            for (int resolution : space.resolutions()) {
                for (double width : space.widths()) {
                    Architecture candidate = of(space, resolution, width, deepest);
                    Costs c = costs.evaluate(candidate);
                    if (c.feasible() && c.macs() > bestMacs) {
                        best = candidate;
                        bestMacs = c.macs();
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** The MobileNetV2-style architecture of {@code space} at one input size. */
    public static Architecture of(SearchSpace space, int resolution, double width, boolean deepest) {
        if (!space.convTypes().contains(ConvType.MBCONV)) {
            throw new IllegalArgumentException("the space has no MBConv blocks, so no MobileNetV2-style baseline");
        }
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < space.stages().size(); s++) {
            int depth = deepest ? space.stages().get(s).maxDepth() : space.stages().get(s).minDepth();
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < depth; b++) {
                blocks.add(new Block(ConvType.MBCONV, KERNEL, EXPAND, space.skipAllowed(s, b, width)));
            }
            stages.add(blocks);
        }
        return new Architecture(resolution, width, stages);
    }
}
