package io.sparknas.supernet;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.FeasibleAscent;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.GeneCodec;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The two subnets every sandwich step trains: the largest and the smallest of what the search can pick. With a
 * target ({@link #byCost}) they are chosen by cost inside the budget, so neither end is a network no search would
 * ever score: the largest is the feasible subnet with the most MACs, the smallest the cell's subnet with the fewest.
 *
 * <p>How they are found. The smallest is exact: MACs add up over blocks and, at the shallowest depths, each block
 * slot's MACs depend only on its own choices (its input and output channels and stride are fixed by the cell), so
 * taking each slot's cheapest (type, kernel, expansion) without a skip gives the minimum. The largest is the best of
 * steepest ascents over single live choices ({@link FeasibleAscent}), each kept inside the budgets, started from
 * {@value #STARTS} random subnets that fit and from the smallest, then improved by iterated local search
 * ({@value #KICKS} times: redraw {@value #KICK_SIZE} choices of the best so far and ascend again): the problem is not
 * separable (latency, SRAM and Flash couple the blocks), so this is a best-known maximum, not a proven one.
 *
 * @param largest  the largest end
 * @param smallest the smallest end
 */
public record SandwichEnds(Architecture largest, Architecture smallest) implements java.io.Serializable {

    /** Random feasible starting points of the ascent to the largest. */
    static final int STARTS = 24;
    /** Perturbations of the best found so far, each followed by a new ascent (iterated local search). */
    static final int KICKS = 3000;
    /** Choices redrawn per perturbation. */
    static final int KICK_SIZE = 3;

    /** The space's choice extremes: every largest choice, and every smallest (no target). */
    public static SandwichEnds extremes(SearchSpace space) {
        return new SandwichEnds(space.largest(), space.smallest());
    }

    /**
     * The ends by cost inside the target's budgets; {@code costModel} must cost {@code cell}'s architectures.
     *
     * @throws IllegalArgumentException when not even the cell's cheapest subnet fits the target
     */
    public static SandwichEnds byCost(SearchSpace cell, CostModel costModel, long seed) {
        Architecture smallest = cheapest(cell, costModel);
        if (!costModel.evaluate(smallest).feasible()) {
            throw new IllegalArgumentException("not even the cell's cheapest subnet " + smallest.shortName()
                    + " fits the target (" + costModel.evaluate(smallest).violatedBudget() + "): choose another cell");
        }
        GeneCodec codec = new GeneCodec(cell);
        SplittableRandom random = new SplittableRandom(seed);
        List<Architecture> starts = new ArrayList<>();
        starts.add(smallest);
        for (int attempt = 0; starts.size() <= STARTS && attempt < 100 * STARTS; attempt++) {
            Architecture sample = cell.sample(random);
            if (costModel.evaluate(sample).feasible()) {
                starts.add(sample);
            }
        }
        Architecture largest = smallest;
        long largestMacs = costModel.evaluate(smallest).macs();
        for (Architecture start : starts) {
            Architecture top = FeasibleAscent.climb(codec, costModel, start, Costs::macs);
            long macs = costModel.evaluate(top).macs();
            if (macs > largestMacs) {
                largest = top;
                largestMacs = macs;
            }
        }
        for (int kick = 0; kick < KICKS; kick++) {
            int[] genes = codec.encode(largest);
            boolean[] live = codec.live(genes);
            int[] choices = java.util.stream.IntStream.range(0, genes.length)
                    .filter(g -> live[g] && codec.cardinality(g) > 1).toArray();
            for (int k = 0; k < KICK_SIZE; k++) {
                int g = choices[random.nextInt(choices.length)];
                genes[g] = random.nextInt(codec.cardinality(g));
            }
            Architecture kicked = codec.decode(genes);
            if (!costModel.evaluate(kicked).feasible()) {
                continue;
            }
            Architecture top = FeasibleAscent.climb(codec, costModel, kicked, Costs::macs);
            long macs = costModel.evaluate(top).macs();
            if (macs > largestMacs) {
                largest = top;
                largestMacs = macs;
            }
        }
        return new SandwichEnds(largest, smallest);
    }

    /** The cell's subnet with the fewest MACs: shallowest stages, each slot's cheapest choices, no skips. */
    static Architecture cheapest(SearchSpace cell, CostModel costModel) {
        Architecture current = cell.smallest();
        List<Block> options = new ArrayList<>();
        for (ConvType type : cell.orderedConvTypes()) {
            for (int kernel : cell.kernels()) {
                for (int expand : type.hasExpandRatio() ? cell.expandRatios() : List.of(cell.expandRatios().get(0))) {
                    options.add(new Block(type, kernel, expand, false));
                }
            }
        }
        for (int s = 0; s < current.stages().size(); s++) {
            for (int b = 0; b < current.stages().get(s).size(); b++) {
                Architecture best = current;
                long bestMacs = costModel.evaluate(current).macs();
                for (Block option : options) {
                    Architecture candidate = withBlock(current, s, b, option);
                    long macs = costModel.evaluate(candidate).macs();
                    if (macs < bestMacs) {
                        best = candidate;
                        bestMacs = macs;
                    }
                }
                current = best;
            }
        }
        return current;
    }

    private static Architecture withBlock(Architecture architecture, int stage, int index, Block block) {
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < architecture.stages().size(); s++) {
            List<Block> blocks = new ArrayList<>(architecture.stages().get(s));
            if (s == stage) {
                blocks.set(index, block);
            }
            stages.add(blocks);
        }
        return new Architecture(architecture.resolution(), architecture.width(), stages);
    }
}
