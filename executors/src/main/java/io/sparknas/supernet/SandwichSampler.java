package io.sparknas.supernet;

import io.sparknas.seed.Seeds;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Chooses the subnets trained at each supernet step by the sandwich rule (BigNAS, Once-for-All): the largest, the
 * smallest ({@link SandwichEnds}: by cost inside the budget when a target is known) and {@code k} random subnets
 * (those that fit, when a target is known), so both ends of what the search can pick are trained (by default on
 * every step) and the middle is covered. The smallest end may be trained on only every n-th step
 * ({@code supernet.smallest-every}), a further random member taking its place on the other steps: an architecture
 * close to the smallest end inherits a path trained on every step, which the many mixed paths between the ends never
 * are (docs/supernet.md). The largest end may likewise be trained on every n-th step only
 * ({@code supernet.largest-every}). The choice for (epoch, step) depends only on the seed, so a resumed run trains
 * exactly what an uninterrupted one would.
 *
 * <p>With progressive shrinking, training proceeds in four phases of equal length: the largest subnet alone, then
 * elastic kernel sizes, then elastic depth, then every choice (expansion, conv type, width, resolution). Choices
 * not yet unlocked take the largest subnet's value.
 */
public final class SandwichSampler {

    /** The last phase, where every choice of the space is sampled. */
    static final int ALL_CHOICES = 3;

    private final SearchSpace space;
    private final int randomSubnets;
    private final boolean progressive;
    private final int epochs;
    private final long seed;
    private final Architecture largest;
    private final Architecture smallest;
    private final Predicate<Architecture> admissible;
    private final ConvTypeBalance balance;
    private final int smallestEvery;
    private final int largestEvery;

    /** With the space's choice extremes as ends and any random subnet. */
    public SandwichSampler(SearchSpace space, int randomSubnets, boolean progressive, int epochs, long seed) {
        this(space, SandwichEnds.extremes(space), a -> true, randomSubnets, progressive, epochs, seed);
    }

    /**
     * @param ends       the largest and smallest members
     * @param admissible which random subnets may be drawn (e.g. those that fit the target); a draw that is not is
     *                   repeated, up to {@value #DRAWS} times
     */
    public SandwichSampler(SearchSpace space, SandwichEnds ends, Predicate<Architecture> admissible, int randomSubnets,
                           boolean progressive, int epochs, long seed) {
        this(space, ends, admissible, randomSubnets, progressive, epochs, seed, null);
    }

    /**
     * @param balance the per-slot conv-type probabilities of the random members ({@link MemberConvTypes#BALANCED});
     *                null: the space's uniform draw
     */
    public SandwichSampler(SearchSpace space, SandwichEnds ends, Predicate<Architecture> admissible, int randomSubnets,
                           boolean progressive, int epochs, long seed, ConvTypeBalance balance) {
        this(space, ends, admissible, randomSubnets, progressive, epochs, seed, balance, 1);
    }

    /**
     * @param smallestEvery the smallest end is a member of every this many steps (step 0 of each epoch included);
     *                      0: never. On the other steps one more random member is drawn.
     */
    public SandwichSampler(SearchSpace space, SandwichEnds ends, Predicate<Architecture> admissible, int randomSubnets,
                           boolean progressive, int epochs, long seed, ConvTypeBalance balance, int smallestEvery) {
        this(space, ends, admissible, randomSubnets, progressive, epochs, seed, balance, smallestEvery, 1);
    }

    /**
     * @param largestEvery the largest end is a member of every this many steps (step 0 of each epoch included); 0:
     *                     never, except in progressive shrinking's first phase, where it is the only member. On the
     *                     other steps one more random member is drawn.
     */
    public SandwichSampler(SearchSpace space, SandwichEnds ends, Predicate<Architecture> admissible, int randomSubnets,
                           boolean progressive, int epochs, long seed, ConvTypeBalance balance, int smallestEvery,
                           int largestEvery) {
        if (smallestEvery < 0 || largestEvery < 0) {
            throw new IllegalArgumentException("smallestEvery and largestEvery must be >= 0, not " + smallestEvery
                    + " and " + largestEvery);
        }
        this.smallestEvery = smallestEvery;
        this.largestEvery = largestEvery;
        this.balance = balance;
        this.space = space;
        this.randomSubnets = randomSubnets;
        this.progressive = progressive;
        this.epochs = epochs;
        this.seed = seed;
        this.largest = ends.largest();
        this.smallest = ends.smallest();
        this.admissible = admissible;
    }

    /** Draws allowed per random member to find an admissible one before taking the last draw. */
    static final int DRAWS = 1000;

    /** The phase of {@code epoch} (1-based): 0 largest only, 1 + kernel, 2 + depth, 3 everything. */
    public int phase(int epoch) {
        if (!progressive) {
            return ALL_CHOICES;
        }
        return Math.min(ALL_CHOICES, (epoch - 1) * 4 / epochs);
    }

    /** Whether an end trained on every {@code every} steps (0: never) is a member of step {@code step}. */
    static boolean onStep(int every, int step) {
        return every > 0 && step % every == 0;
    }

    /** The expected updates per step of an end trained on every {@code every} steps (0: never). */
    static double share(int every) {
        return every == 0 ? 0 : 1.0 / every;
    }

    /** Whether step {@code step} of epoch {@code epoch} trains the largest end, which is then its first member. */
    public boolean trainsLargest(int epoch, int step) {
        return phase(epoch) == 0 || onStep(largestEvery, step);
    }

    /**
     * The subnets of step {@code step} of epoch {@code epoch}: the largest first and the smallest (each on the steps
     * that train it), then random ones.
     */
    public List<Architecture> members(int epoch, int step) {
        int phase = phase(epoch);
        List<Architecture> members = new ArrayList<>();
        if (phase == 0) {
            return List.of(largest);
        }
        boolean withLargest = onStep(largestEvery, step);
        if (withLargest) {
            members.add(largest);
        }
        boolean withSmallest = onStep(smallestEvery, step);
        if (withSmallest) {
            members.add(restrict(smallest, phase));
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "sandwich", epoch, step));
        int draws = randomSubnets + (withSmallest ? 0 : 1) + (withLargest ? 0 : 1);
        for (int i = 0; i < draws; i++) {
            Architecture drawn = draw(random);
            for (int d = 1; d < DRAWS && !admissible.test(drawn); d++) {
                drawn = draw(random);
            }
            members.add(restrict(drawn, phase));
        }
        return members;
    }

    private Architecture draw(SplittableRandom random) {
        Architecture drawn = space.sample(random);
        return balance == null ? drawn : balance.redraw(drawn, random);
    }

    /** {@code architecture} with every choice not unlocked in {@code phase} set to the largest subnet's. */
    Architecture restrict(Architecture architecture, int phase) {
        if (phase >= ALL_CHOICES) {
            return architecture;
        }
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < largest.stages().size(); s++) {
            List<Block> full = largest.stages().get(s);
            int depth = phase >= 2 ? architecture.depth(s) : full.size();
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < depth; b++) {
                Block top = full.get(b);
                int kernel = b < architecture.depth(s) ? architecture.stages().get(s).get(b).kernel() : top.kernel();
                blocks.add(new Block(top.type(), kernel, top.expand(), top.skip()));
            }
            stages.add(blocks);
        }
        return new Architecture(largest.resolution(), largest.width(), stages);
    }
}
