package io.sparknas.supernet;

import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The conv-type probabilities per block slot that give every set of shared weights there the same expected number
 * of updates per sandwich step ({@link MemberConvTypes#BALANCED}), and the redraw of a random member's types by them.
 *
 * <p>In a slot, the sandwich's ends contribute {@code e_g} updates to weight set {@code g} (the sets are the conv
 * types as {@link WeightSharing} groups them; each end counts with the share of steps that train it) and the
 * {@code k} random members {@code k p_g} ({@code k} counts the members that replace an end on the steps without it).
 * The probabilities are
 * the water level {@code L} with {@code sum_g max(0, L - e_g) = k}, {@code p_g = max(0, L - e_g) / k}: sets the ends
 * already train get less, an untouched set the most; inside a set its conv types are equally likely. Example: ends
 * MBConv and depthwise-separable sharing one set, 4 random members: the standard convolution is drawn with
 * probability 0.75 (3 updates per step for each set), where uniform draws give it 1.33 against 4.67.
 * The draw of everything else (depth, kernel, skip) is the space's; an MBConv block's expansion is drawn uniformly.
 *
 * <p>A budget filter then rejects more of the costlier types' draws (standard convolutions), so the levelling holds
 * before the filter, not after it. {@link #fitting} corrects for that: it samples members that fit as the sandwich
 * does, measures each set's share per slot, scales every type's probability by the set's wanted over measured
 * share, and repeats ({@value #ROUNDS} rounds of {@value #CALIBRATION_MEMBERS} members, seeded, so the same settings
 * give the same probabilities).
 */
public final class ConvTypeBalance implements java.io.Serializable {

    /** Rounds of the correction for the budget filter. */
    static final int ROUNDS = 4;
    /** Members that fit sampled per round of the correction. */
    static final int CALIBRATION_MEMBERS = 1500;

    private final List<ConvType> types;
    private final List<Integer> expandRatios;
    /** Per stage, per block slot: the probability of each of {@link #types}. */
    private final List<List<double[]>> probabilities;

    private ConvTypeBalance(List<ConvType> types, List<Integer> expandRatios, List<List<double[]>> probabilities) {
        this.types = types;
        this.expandRatios = expandRatios;
        this.probabilities = probabilities;
    }

    /** The balance for {@code randomMembers} random members per step beside {@code ends}, weights shared by {@code sharing}. */
    public static ConvTypeBalance of(SearchSpace space, SandwichEnds ends, WeightSharing sharing, int randomMembers) {
        return of(space, ends, sharing, randomMembers, 1, 1);
    }

    /**
     * The balance when the smallest end is a member of {@code smallestShare} of the steps and the largest of
     * {@code largestShare} (1: every step), a further random member taking an end's place on the steps without it.
     */
    public static ConvTypeBalance of(SearchSpace space, SandwichEnds ends, WeightSharing sharing, int randomMembers,
                                     double smallestShare, double largestShare) {
        double expectedRandom = randomMembers + (1 - smallestShare) + (1 - largestShare);
        List<ConvType> types = space.orderedConvTypes();
        List<List<double[]>> probabilities = new ArrayList<>();
        for (int s = 0; s < space.stages().size(); s++) {
            int slots = space.stages().get(s).depths().stream().mapToInt(Integer::intValue).max().orElse(0);
            List<double[]> stage = new ArrayList<>();
            for (int b = 0; b < slots; b++) {
                Map<ConvType, Double> endUpdates = new LinkedHashMap<>();
                for (ConvType type : types) {
                    endUpdates.putIfAbsent(sharing.weightsOf(type), 0.0);
                }
                if (b < ends.largest().depth(s)) {
                    endUpdates.merge(sharing.weightsOf(ends.largest().stages().get(s).get(b).type()), largestShare,
                            Double::sum);
                }
                if (b < ends.smallest().depth(s)) {
                    endUpdates.merge(sharing.weightsOf(ends.smallest().stages().get(s).get(b).type()), smallestShare,
                            Double::sum);
                }
                stage.add(typeProbabilities(types, sharing, endUpdates, expectedRandom));
            }
            probabilities.add(stage);
        }
        return new ConvTypeBalance(types, space.expandRatios(), probabilities);
    }

    /**
     * The balance levelled among the random members that {@code admissible} lets through, each drawn as
     * {@link SandwichSampler} draws (up to {@link SandwichSampler#DRAWS} tries).
     */
    public static ConvTypeBalance fitting(SearchSpace space, SandwichEnds ends, WeightSharing sharing,
                                          int randomMembers, java.util.function.Predicate<Architecture> admissible,
                                          long seed) {
        return fitting(space, ends, sharing, randomMembers, 1, 1, admissible, seed);
    }

    /** {@link #fitting} with the ends members of {@code smallestShare} and {@code largestShare} of the steps. */
    public static ConvTypeBalance fitting(SearchSpace space, SandwichEnds ends, WeightSharing sharing,
                                          int randomMembers, double smallestShare, double largestShare,
                                          java.util.function.Predicate<Architecture> admissible, long seed) {
        ConvTypeBalance wanted = of(space, ends, sharing, randomMembers, smallestShare, largestShare);
        ConvTypeBalance current = wanted;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<ConvType> types = wanted.types;
        for (int round = 0; round < ROUNDS; round++) {
            List<List<double[]>> counts = zeros(wanted.probabilities, types.size());
            for (int m = 0; m < CALIBRATION_MEMBERS; m++) {
                Architecture drawn = current.redraw(space.sample(random), random);
                for (int d = 1; d < SandwichSampler.DRAWS && !admissible.test(drawn); d++) {
                    drawn = current.redraw(space.sample(random), random);
                }
                for (int s = 0; s < drawn.stages().size(); s++) {
                    for (int b = 0; b < drawn.depth(s); b++) {
                        counts.get(s).get(b)[types.indexOf(drawn.stages().get(s).get(b).type())]++;
                    }
                }
            }
            List<List<double[]>> next = new ArrayList<>();
            for (int s = 0; s < counts.size(); s++) {
                List<double[]> stage = new ArrayList<>();
                for (int b = 0; b < counts.get(s).size(); b++) {
                    stage.add(corrected(types, sharing, wanted.probabilities.get(s).get(b),
                            current.probabilities.get(s).get(b), counts.get(s).get(b)));
                }
                next.add(stage);
            }
            current = new ConvTypeBalance(types, wanted.expandRatios, next);
        }
        return current;
    }

    /** Each type's probability scaled by its set's wanted over measured share, renormalised. */
    private static double[] corrected(List<ConvType> types, WeightSharing sharing, double[] wanted, double[] current,
                                      double[] counts) {
        double total = Arrays.stream(counts).sum();
        if (total < 1) {
            return current.clone();
        }
        double[] next = new double[types.size()];
        double sum = 0;
        for (int t = 0; t < types.size(); t++) {
            ConvType set = sharing.weightsOf(types.get(t));
            double wantedShare = 0;
            double measuredShare = 0;
            for (int u = 0; u < types.size(); u++) {
                if (sharing.weightsOf(types.get(u)) == set) {
                    wantedShare += wanted[u];
                    measuredShare += counts[u] / total;
                }
            }
            next[t] = wantedShare == 0 ? 0 : current[t] * wantedShare / Math.max(measuredShare, 0.01);
            sum += next[t];
        }
        for (int t = 0; t < next.length; t++) {
            next[t] /= sum;
        }
        return next;
    }

    private static List<List<double[]>> zeros(List<List<double[]>> shape, int types) {
        List<List<double[]>> zeros = new ArrayList<>();
        for (List<double[]> stage : shape) {
            List<double[]> slots = new ArrayList<>();
            stage.forEach(slot -> slots.add(new double[types]));
            zeros.add(slots);
        }
        return zeros;
    }

    private static double[] typeProbabilities(List<ConvType> types, WeightSharing sharing,
                                              Map<ConvType, Double> endUpdates, double randomMembers) {
        Map<ConvType, Double> setShare = waterFill(endUpdates, randomMembers);
        double[] p = new double[types.size()];
        for (int t = 0; t < types.size(); t++) {
            ConvType set = sharing.weightsOf(types.get(t));
            long members = types.stream().filter(other -> sharing.weightsOf(other) == set).count();
            p[t] = setShare.get(set) / members;
        }
        return p;
    }

    /** Each set's share of {@code k} random updates that levels {@code ends} as far as {@code k} allows. */
    static Map<ConvType, Double> waterFill(Map<ConvType, Double> ends, double k) {
        Map<ConvType, Double> shares = new LinkedHashMap<>();
        if (k <= 0) {
            ends.keySet().forEach(set -> shares.put(set, 1.0 / ends.size()));
            return shares;
        }
        double[] sorted = ends.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double level = 0;
        for (int n = 1; n <= sorted.length; n++) {
            double prefix = Arrays.stream(sorted, 0, n).sum();
            level = (k + prefix) / n;
            if (n == sorted.length || level <= sorted[n]) {
                break;
            }
        }
        for (Map.Entry<ConvType, Double> set : ends.entrySet()) {
            shares.put(set.getKey(), Math.max(0, level - set.getValue()) / k);
        }
        return shares;
    }

    /** The probability of {@code type} in block slot {@code block} of stage {@code stage}. */
    public double probability(int stage, int block, ConvType type) {
        int t = types.indexOf(type);
        return t < 0 ? 0 : probabilities.get(stage).get(block)[t];
    }

    /** {@code drawn} with each block's conv type drawn again by this balance (and an expansion for new MBConv blocks). */
    public Architecture redraw(Architecture drawn, RandomGenerator random) {
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < drawn.stages().size(); s++) {
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < drawn.depth(s); b++) {
                Block block = drawn.stages().get(s).get(b);
                ConvType type = draw(probabilities.get(s).get(b), random);
                if (type == block.type()) {
                    blocks.add(block);
                } else {
                    int expand = type.hasExpandRatio() ? expandRatios.get(random.nextInt(expandRatios.size())) : 1;
                    blocks.add(new Block(type, block.kernel(), expand, block.skip()));
                }
            }
            stages.add(blocks);
        }
        return new Architecture(drawn.resolution(), drawn.width(), stages);
    }

    private ConvType draw(double[] p, RandomGenerator random) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int t = 0; t < p.length; t++) {
            cumulative += p[t];
            if (u < cumulative) {
                return types.get(t);
            }
        }
        for (int t = p.length - 1; t >= 0; t--) {
            if (p[t] > 0) {
                return types.get(t);
            }
        }
        return types.get(types.size() - 1);
    }
}
