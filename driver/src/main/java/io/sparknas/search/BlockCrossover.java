package io.sparknas.search;

import io.sparknas.space.GeneCodec;
import io.sparknas.space.StageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Uniform crossover over the whole genome, in one of two granularities drawn per mating: per block (the resolution,
 * the width, each stage's depth and each block slot's four genes are units, every unit taken whole from either
 * parent, so a block keeps its type, kernel, expansion and skip together) or per gene (every gene from either parent,
 * so a child can take one parent's kernel with the other's type). Both exchange many choices at once, where a
 * crossover of one gene per mating would leave the search to mutation alone.
 *
 * <p>Written here rather than taken from Jenetics, whose crossovers recombine one chromosome per mating and know
 * nothing of blocks.
 */
final class BlockCrossover {

    /** Gene index ranges [from, to) that are exchanged whole in the per-block mode. */
    private final List<int[]> units;
    private final int length;

    BlockCrossover(GeneCodec codec) {
        this.length = codec.length();
        this.units = new ArrayList<>();
        units.add(new int[] {codec.resolutionGene(), codec.resolutionGene() + 1});
        units.add(new int[] {codec.widthGene(), codec.widthGene() + 1});
        List<StageSpec> stages = codec.space().stages();
        for (int s = 0; s < stages.size(); s++) {
            units.add(new int[] {codec.depthGene(s), codec.depthGene(s) + 1});
            for (int b = 0; b < stages.get(s).maxDepth(); b++) {
                int first = codec.blockGene(s, b);
                units.add(new int[] {first, first + codec.genesPerBlock()});
            }
        }
    }

    /** A child of {@code a} and {@code b}: each unit (per block) or gene (per gene) from either, with equal odds. */
    int[] cross(int[] a, int[] b, RandomGenerator random) {
        int[] child = new int[length];
        if (random.nextBoolean()) {
            for (int[] unit : units) {
                int[] from = random.nextBoolean() ? a : b;
                System.arraycopy(from, unit[0], child, unit[0], unit[1] - unit[0]);
            }
        } else {
            for (int i = 0; i < length; i++) {
                child[i] = random.nextBoolean() ? a[i] : b[i];
            }
        }
        return child;
    }
}
