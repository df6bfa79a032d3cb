package io.sparknas.search;

import io.sparknas.space.GeneCodec;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Mutation that changes only choices the architecture uses ({@link GeneCodec#live}), so every mutant is a different
 * architecture from its parent: a latent gene (a block slot beyond the stage's depth, the expansion of a block that
 * is not MBConv, a skip that is not allowed) never changes alone. A depth increase brings back the slots it opens
 * either as the parent carried them (its latent blocks) or freshly drawn, with equal odds; a conv-type change
 * redraws that block's kernel, expansion and skip, which were chosen for the old type.
 */
final class LiveMutation {

    private final GeneCodec codec;
    private final int[] depthGeneStage;
    private final int[] blockGeneStart;

    LiveMutation(GeneCodec codec) {
        this.codec = codec;
        this.depthGeneStage = new int[codec.length()];
        this.blockGeneStart = new int[codec.length()];
        Arrays.fill(depthGeneStage, -1);
        Arrays.fill(blockGeneStart, -1);
        for (int s = 0; s < codec.space().stages().size(); s++) {
            depthGeneStage[codec.depthGene(s)] = s;
            for (int b = 0; b < codec.space().stages().get(s).maxDepth(); b++) {
                int first = codec.blockGene(s, b);
                for (int g = first; g < first + codec.genesPerBlock(); g++) {
                    blockGeneStart[g] = first;
                }
            }
        }
    }

    /** The codec whose genomes it mutates. */
    GeneCodec codec() {
        return codec;
    }

    /**
     * Mutates each live gene that has a choice with probability {@code rate}, and one of them (drawn uniformly)
     * when none was picked; returns a new genome, always a different architecture from {@code parent}.
     */
    int[] mutate(int[] parent, double rate, RandomGenerator random) {
        return mutate(parent, rate, random, true);
    }

    /** Mutates each live gene that has a choice with probability {@code rate}; may change nothing. */
    int[] mutateSome(int[] parent, double rate, RandomGenerator random) {
        return mutate(parent, rate, random, false);
    }

    private int[] mutate(int[] parent, double rate, RandomGenerator random, boolean atLeastOne) {
        int[] mutable = mutableLive(parent);
        boolean[] picked = new boolean[parent.length];
        boolean any = false;
        for (int g : mutable) {
            if (random.nextDouble() < rate) {
                picked[g] = true;
                any = true;
            }
        }
        if (atLeastOne && !any && mutable.length > 0) {
            picked[mutable[random.nextInt(mutable.length)]] = true;
        }
        int[] child = parent.clone();
        for (int g = 0; g < child.length; g++) {
            if (picked[g]) {
                change(child, g, random);
            }
        }
        return child;
    }

    /** Changes exactly one live choice, drawn uniformly (regularized evolution's mutation). */
    int[] mutateOne(int[] parent, RandomGenerator random) {
        int[] mutable = mutableLive(parent);
        int[] child = parent.clone();
        if (mutable.length > 0) {
            change(child, mutable[random.nextInt(mutable.length)], random);
        }
        return child;
    }

    /** The live genes with more than one value. */
    private int[] mutableLive(int[] genes) {
        boolean[] live = codec.live(genes);
        return java.util.stream.IntStream.range(0, genes.length).filter(g -> live[g] && codec.cardinality(g) > 1)
                .toArray();
    }

    private void change(int[] genes, int g, RandomGenerator random) {
        int old = genes[g];
        int value = random.nextInt(codec.cardinality(g) - 1);
        genes[g] = value >= old ? value + 1 : value;
        if (depthGeneStage[g] >= 0 && genes[g] > old) {
            int stage = depthGeneStage[g];
            int oldDepth = codec.space().stages().get(stage).depths().get(old);
            int newDepth = codec.space().stages().get(stage).depths().get(genes[g]);
            for (int b = oldDepth; b < newDepth; b++) {
                if (random.nextBoolean()) {
                    redraw(genes, codec.blockGene(stage, b), 0, random);
                }
            }
        } else if (blockGeneStart[g] == g) {
            redraw(genes, g, 1, random);
        }
    }

    /** Draws the genes of the block slot starting at {@code first}, from its {@code from}-th gene on. */
    private void redraw(int[] genes, int first, int from, RandomGenerator random) {
        for (int i = from; i < codec.genesPerBlock(); i++) {
            genes[first + i] = random.nextInt(codec.cardinality(first + i));
        }
    }
}
