package io.sparknas.space;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.engine.Codec;
import io.jenetics.util.IntRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The integer gene encoding of a {@link SearchSpace}, for the evolutionary search.
 *
 * <p>Layout, one gene per choice: resolution index, width index, then for each stage its depth index followed by
 * four genes for every block slot up to the stage's largest depth (conv type, kernel, expansion, skip). Slots
 * beyond the chosen depth are carried but unused, so depth mutations can revive a block; a skip gene is read
 * only where a skip is legal. Every genotype decodes to a contained architecture.
 */
public final class GeneCodec implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final int GENES_PER_BLOCK = 4;

    private final SearchSpace space;
    private final List<ConvType> types;
    private final int[] cardinalities;

    public GeneCodec(SearchSpace space) {
        this.space = space;
        this.types = space.orderedConvTypes();
        List<Integer> sizes = new ArrayList<>();
        sizes.add(space.resolutions().size());
        sizes.add(space.widths().size());
        for (StageSpec stage : space.stages()) {
            sizes.add(stage.depths().size());
            for (int b = 0; b < stage.maxDepth(); b++) {
                sizes.add(types.size());
                sizes.add(space.kernels().size());
                sizes.add(space.expandRatios().size());
                sizes.add(2);
            }
        }
        this.cardinalities = sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of genes. */
    public int length() {
        return cardinalities.length;
    }

    /** How many values gene {@code i} can take (its values are 0 … n−1). */
    public int cardinality(int i) {
        return cardinalities[i];
    }

    /** The genes of a contained architecture; unused block slots are 0. */
    public int[] encode(Architecture architecture) {
        SpaceCheck check = space.check(architecture);
        if (!check.contained()) {
            throw new IllegalArgumentException("cannot encode an architecture outside the space: " + check.reasons());
        }
        int[] genes = new int[cardinalities.length];
        int g = 0;
        genes[g++] = space.resolutions().indexOf(architecture.resolution());
        genes[g++] = space.widths().indexOf(architecture.width());
        for (int s = 0; s < space.stages().size(); s++) {
            StageSpec stage = space.stages().get(s);
            List<Block> blocks = architecture.stages().get(s);
            genes[g++] = stage.depths().indexOf(blocks.size());
            for (int b = 0; b < stage.maxDepth(); b++) {
                if (b < blocks.size()) {
                    Block block = blocks.get(b);
                    genes[g] = types.indexOf(block.type());
                    genes[g + 1] = space.kernels().indexOf(block.kernel());
                    genes[g + 2] = block.type().hasExpandRatio() ? space.expandRatios().indexOf(block.expand()) : 0;
                    genes[g + 3] = block.skip() ? 1 : 0;
                }
                g += GENES_PER_BLOCK;
            }
        }
        return genes;
    }

    /** The architecture that {@code genes} stand for; every in-range gene vector decodes to a contained one. */
    public Architecture decode(int[] genes) {
        if (genes.length != cardinalities.length) {
            throw new IllegalArgumentException("expected " + cardinalities.length + " genes, got " + genes.length);
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] >= cardinalities[i]) {
                throw new IllegalArgumentException("gene " + i + " = " + genes[i] + " outside [0, " + cardinalities[i] + ")");
            }
        }
        int g = 0;
        int resolution = space.resolutions().get(genes[g++]);
        double width = space.widths().get(genes[g++]);
        List<List<Block>> stages = new ArrayList<>(space.stages().size());
        for (int s = 0; s < space.stages().size(); s++) {
            StageSpec stage = space.stages().get(s);
            int depth = stage.depths().get(genes[g++]);
            List<Block> blocks = new ArrayList<>(depth);
            for (int b = 0; b < stage.maxDepth(); b++) {
                if (b < depth) {
                    ConvType type = types.get(genes[g]);
                    int kernel = space.kernels().get(genes[g + 1]);
                    int expand = space.expandRatios().get(genes[g + 2]);
                    boolean skip = genes[g + 3] == 1 && space.skipAllowed(s, b, width);
                    blocks.add(new Block(type, kernel, expand, skip));
                }
                g += GENES_PER_BLOCK;
            }
            stages.add(blocks);
        }
        return new Architecture(resolution, width, stages);
    }

    /** A Jenetics codec: one single-gene integer chromosome per choice, decoded by {@link #decode}. */
    public Codec<Architecture, IntegerGene> jenetics() {
        List<IntegerChromosome> chromosomes = new ArrayList<>(cardinalities.length);
        for (int cardinality : cardinalities) {
            chromosomes.add(IntegerChromosome.of(IntRange.of(0, cardinality), 1));
        }
        return Codec.of(Genotype.of(chromosomes), this::decode);
    }

    /** Decodes a Jenetics genotype built by {@link #jenetics()}. */
    public Architecture decode(Genotype<IntegerGene> genotype) {
        int[] genes = new int[genotype.length()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = genotype.get(i).gene().allele();
        }
        return decode(genes);
    }

    /** A Jenetics genotype for a contained architecture, e.g. to seed a population or resume a run. */
    public Genotype<IntegerGene> genotype(Architecture architecture) {
        int[] genes = encode(architecture);
        List<IntegerChromosome> chromosomes = new ArrayList<>(genes.length);
        for (int i = 0; i < genes.length; i++) {
            chromosomes.add(IntegerChromosome.of(IntegerGene.of(genes[i], 0, cardinalities[i])));
        }
        return Genotype.of(chromosomes);
    }
}
