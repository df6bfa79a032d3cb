package io.sparknas.space;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import java.util.ArrayList;
import java.util.List;

/**
 * The integer gene encoding of a {@link SearchSpace}, for the evolutionary search.
 *
 * <p>Layout, one gene per choice (and, for Jenetics' selectors, one single-gene chromosome per gene): resolution index, width index, then for each stage its depth index followed by
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

    /**
     * The genes of a contained architecture with its latent genes drawn from {@code random} instead of 0: a fresh
     * genome whose unused block slots, when a later depth increase revives them, are as varied as sampled ones.
     */
    public int[] encode(Architecture architecture, java.util.random.RandomGenerator random) {
        int[] genes = encode(architecture);
        boolean[] live = live(genes);
        for (int i = 0; i < genes.length; i++) {
            if (!live[i]) {
                genes[i] = random.nextInt(cardinalities[i]);
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

    /** Index of the resolution gene. */
    public int resolutionGene() {
        return 0;
    }

    /** Index of the width gene. */
    public int widthGene() {
        return 1;
    }

    /** Index of stage {@code s}'s depth gene; its block slots' genes follow it. */
    public int depthGene(int stage) {
        int g = 2;
        for (int s = 0; s < stage; s++) {
            g += 1 + GENES_PER_BLOCK * space.stages().get(s).maxDepth();
        }
        return g;
    }

    /** Index of the first gene (conv type) of block slot {@code block} of stage {@code stage}. */
    public int blockGene(int stage, int block) {
        return depthGene(stage) + 1 + GENES_PER_BLOCK * block;
    }

    /** Genes per block slot: conv type, kernel, expansion, skip, in this order. */
    public int genesPerBlock() {
        return GENES_PER_BLOCK;
    }

    /** The space this codec encodes. */
    public SearchSpace space() {
        return space;
    }

    /**
     * Which genes {@link #decode} reads for {@code genes}: the resolution, width and depth genes, and of the block
     * slots within the chosen depth their type and kernel, the expansion only of an MBConv block, the skip only
     * where a skip is legal. Every other gene is latent: changing it leaves the architecture as it is.
     */
    public boolean[] live(int[] genes) {
        boolean[] live = new boolean[cardinalities.length];
        live[resolutionGene()] = true;
        live[widthGene()] = true;
        double width = space.widths().get(genes[widthGene()]);
        for (int s = 0; s < space.stages().size(); s++) {
            StageSpec stage = space.stages().get(s);
            int depthGene = depthGene(s);
            live[depthGene] = true;
            int depth = stage.depths().get(genes[depthGene]);
            for (int b = 0; b < depth; b++) {
                int g = blockGene(s, b);
                live[g] = true;
                live[g + 1] = true;
                live[g + 2] = types.get(genes[g]).hasExpandRatio();
                live[g + 3] = space.skipAllowed(s, b, width);
            }
        }
        return live;
    }

    /** The genes as text, comma separated: how a population stores its genotypes, latent genes included. */
    public static String text(int[] genes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < genes.length; i++) {
            out.append(i == 0 ? "" : ",").append(genes[i]);
        }
        return out.toString();
    }

    /**
     * Reads genes written by {@link #text}, checked against this codec.
     *
     * @throws IllegalArgumentException naming the gene that is not a number, out of range, or missing
     */
    public int[] parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != cardinalities.length) {
            throw new IllegalArgumentException("expected " + cardinalities.length + " genes, got " + parts.length
                    + " in '" + text + "'");
        }
        int[] genes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                genes[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gene " + i + " is not a number: '" + parts[i] + "'", e);
            }
            if (genes[i] < 0 || genes[i] >= cardinalities[i]) {
                throw new IllegalArgumentException("gene " + i + " = " + genes[i] + " outside [0, " + cardinalities[i]
                        + ")");
            }
        }
        return genes;
    }

    /** The genes of a genotype built by {@link #genotype(int[])}. */
    public int[] genes(Genotype<IntegerGene> genotype) {
        int[] genes = new int[genotype.length()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = genotype.get(i).gene().allele();
        }
        return genes;
    }

    /** A Jenetics genotype holding exactly these genes, latent ones included. */
    public Genotype<IntegerGene> genotype(int[] genes) {
        List<IntegerChromosome> chromosomes = new ArrayList<>(genes.length);
        for (int i = 0; i < genes.length; i++) {
            chromosomes.add(IntegerChromosome.of(IntegerGene.of(genes[i], 0, cardinalities[i])));
        }
        return Genotype.of(chromosomes);
    }

    /** Decodes a Jenetics genotype built by {@link #genotype(int[])}. */
    public Architecture decode(Genotype<IntegerGene> genotype) {
        return decode(genes(genotype));
    }

    /** A Jenetics genotype for a contained architecture, e.g. to seed a population or resume a run. */
    public Genotype<IntegerGene> genotype(Architecture architecture) {
        return genotype(encode(architecture));
    }
}
