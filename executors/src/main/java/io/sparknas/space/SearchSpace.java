package io.sparknas.space;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The MCUNet/TinyNAS-style space of detector architectures: the allowed values of every choice, and the rules
 * that join them (channel rounding, where a skip connection is legal).
 *
 * <p>Immutable and serializable, so it can travel to Spark executors inside task records.
 *
 * @param resolutions    allowed input sides in pixels
 * @param widths         allowed width multipliers
 * @param channelDivisor channels are rounded to a multiple of this (as in MobileNet's {@code make_divisible})
 * @param stemChannels   base channels of the stride-2 3×3 stem convolution
 * @param stages         the stage frames, in order
 * @param convTypes      allowed block kinds
 * @param kernels        allowed kernel sizes (odd)
 * @param expandRatios   allowed MBConv expansion ratios
 * @param head           the detection head; with {@code anchorBoxes}, its anchors are those boxes in grid cells of
 *                       the space's largest resolution (the only one, in a stage-1 cell)
 * @param anchorBoxes    anchor priors as fractions of the image side, so they fit every resolution; empty: the
 *                       head's anchors in grid cells as given
 */
public record SearchSpace(
        List<Integer> resolutions,
        List<Double> widths,
        int channelDivisor,
        int stemChannels,
        List<StageSpec> stages,
        Set<ConvType> convTypes,
        List<Integer> kernels,
        List<Integer> expandRatios,
        HeadSpec head,
        List<Anchor> anchorBoxes) implements java.io.Serializable {

    /** A space whose head's anchors are given in grid cells. */
    public SearchSpace(List<Integer> resolutions, List<Double> widths, int channelDivisor, int stemChannels,
                       List<StageSpec> stages, Set<ConvType> convTypes, List<Integer> kernels,
                       List<Integer> expandRatios, HeadSpec head) {
        this(resolutions, widths, channelDivisor, stemChannels, stages, convTypes, kernels, expandRatios, head,
                List.of());
    }

    public SearchSpace {
        resolutions = sortedDistinct(resolutions, "resolutions");
        widths = widths.stream().map(w -> Math.round(w * 100.0) / 100.0).sorted().distinct().toList();
        if (widths.isEmpty()) {
            throw new IllegalArgumentException("widths must not be empty");
        }
        kernels = sortedDistinct(kernels, "kernels");
        expandRatios = sortedDistinct(expandRatios, "expandRatios");
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("at least one stage is needed");
        }
        if (convTypes.isEmpty()) {
            throw new IllegalArgumentException("convTypes must not be empty");
        }
        convTypes = java.util.Collections.unmodifiableSet(EnumSet.copyOf(convTypes));
        Objects.requireNonNull(head, "head");
        anchorBoxes = List.copyOf(anchorBoxes);
        if (!anchorBoxes.isEmpty()) {
            double cells = (double) resolutions.get(resolutions.size() - 1) / head.outputStride();
            head = new HeadSpec(head.channels(), head.classes(), anchorBoxes.stream()
                    .map(a -> new Anchor(a.width() * cells, a.height() * cells)).toList(), head.outputStride());
        }
        if (channelDivisor < 1) {
            throw new IllegalArgumentException("channelDivisor must be positive, got " + channelDivisor);
        }
    }

    private static List<Integer> sortedDistinct(List<Integer> values, String name) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return values.stream().sorted().distinct().toList();
    }

    /** The conv types in declaration order, so gene indices are stable. */
    public List<ConvType> orderedConvTypes() {
        return EnumSet.copyOf(convTypes).stream().toList();
    }

    /** The product of the stem's and every stage's stride: the backbone's output stride. */
    public int backboneStride() {
        int stride = 2;
        for (StageSpec stage : stages) {
            stride *= stage.stride();
        }
        return stride;
    }

    /** Rounds {@code base × width} to the channel divisor, never dropping more than 10 % (MobileNet's rule). */
    public int channels(int base, double width) {
        double value = base * width;
        int rounded = Math.max(channelDivisor, (int) (value + channelDivisor / 2.0) / channelDivisor * channelDivisor);
        if (rounded < 0.9 * value) {
            rounded += channelDivisor;
        }
        return rounded;
    }

    /** Output channels of stage {@code stage} at width {@code width}. */
    public int stageChannels(int stage, double width) {
        return channels(stages.get(stage).channels(), width);
    }

    /** Input channels of block {@code block} of stage {@code stage}. */
    public int blockInputChannels(int stage, int block, double width) {
        if (block > 0) {
            return stageChannels(stage, width);
        }
        return stage == 0 ? channels(stemChannels, width) : stageChannels(stage - 1, width);
    }

    /** Stride of block {@code block} of stage {@code stage}: the stage's stride on its first block, else 1. */
    public int blockStride(int stage, int block) {
        return block == 0 ? stages.get(stage).stride() : 1;
    }

    /** Whether a skip connection is legal there: stride 1 and equal input and output channels. */
    public boolean skipAllowed(int stage, int block, double width) {
        return blockStride(stage, block) == 1
                && blockInputChannels(stage, block, width) == stageChannels(stage, width);
    }

    /** Samples an architecture uniformly per choice, from the given generator. */
    public Architecture sample(RandomGenerator random) {
        int resolution = pick(resolutions, random);
        double width = widths.get(random.nextInt(widths.size()));
        return sample(random, resolution, width);
    }

    /** Samples the blocks of an architecture at a fixed resolution and width. */
    public Architecture sample(RandomGenerator random, int resolution, double width) {
        List<ConvType> types = orderedConvTypes();
        List<List<Block>> chosen = new ArrayList<>(stages.size());
        for (int s = 0; s < stages.size(); s++) {
            int depth = pick(stages.get(s).depths(), random);
            List<Block> blocks = new ArrayList<>(depth);
            for (int b = 0; b < depth; b++) {
                ConvType type = types.get(random.nextInt(types.size()));
                int kernel = pick(kernels, random);
                int expand = type.hasExpandRatio() ? pick(expandRatios, random) : 1;
                boolean skip = skipAllowed(s, b, width) && random.nextBoolean();
                blocks.add(new Block(type, kernel, expand, skip));
            }
            chosen.add(blocks);
        }
        return new Architecture(resolution, width, chosen);
    }

    private static int pick(List<Integer> values, RandomGenerator random) {
        return values.get(random.nextInt(values.size()));
    }

    /** Whether {@code architecture} is a point of this space; if not, every reason, each naming its field. */
    public SpaceCheck check(Architecture architecture) {
        List<String> reasons = new ArrayList<>();
        if (!resolutions.contains(architecture.resolution())) {
            reasons.add("resolution: " + architecture.resolution() + " is not one of " + resolutions);
        }
        if (!widths.contains(architecture.width())) {
            reasons.add("width: " + architecture.width() + " is not one of " + widths);
        }
        if (architecture.stages().size() != stages.size()) {
            reasons.add("stages: " + architecture.stages().size() + " stages given, the space has " + stages.size());
        }
        int shared = Math.min(architecture.stages().size(), stages.size());
        for (int s = 0; s < shared; s++) {
            List<Block> blocks = architecture.stages().get(s);
            if (!stages.get(s).depths().contains(blocks.size())) {
                reasons.add("stages[" + s + "]: depth " + blocks.size() + " is not one of " + stages.get(s).depths());
            }
            for (int b = 0; b < blocks.size(); b++) {
                checkBlock(blocks.get(b), s, b, architecture.width(), reasons);
            }
        }
        return new SpaceCheck(reasons);
    }

    private void checkBlock(Block block, int s, int b, double width, List<String> reasons) {
        String field = "stages[" + s + "][" + b + "].";
        if (!convTypes.contains(block.type())) {
            reasons.add(field + "type: " + block.type().jsonName() + " is not allowed; allowed: "
                    + orderedConvTypes().stream().map(ConvType::jsonName).toList());
        }
        if (!kernels.contains(block.kernel())) {
            reasons.add(field + "kernel: " + block.kernel() + " is not one of " + kernels);
        }
        if (block.type().hasExpandRatio() && !expandRatios.contains(block.expand())) {
            reasons.add(field + "expand: " + block.expand() + " is not one of " + expandRatios);
        }
        if (block.skip() && !skipAllowed(s, b, width)) {
            reasons.add(field + "skip: not allowed here (stride " + blockStride(s, b) + ", "
                    + blockInputChannels(s, b, width) + " -> " + stageChannels(s, width) + " channels)");
        }
    }

    /**
     * The nearest architecture of this space: every value snapped to the nearest allowed one (ties to the
     * smaller), depths truncated or extended by repeating the last block, missing stages filled with their
     * smallest depth, illegal skips dropped. A contained architecture is returned unchanged.
     */
    public Architecture repair(Architecture architecture) {
        int resolution = nearest(resolutions, architecture.resolution());
        double width = nearestWidth(architecture.width());
        List<ConvType> types = orderedConvTypes();
        List<List<Block>> repaired = new ArrayList<>(stages.size());
        for (int s = 0; s < stages.size(); s++) {
            List<Block> given = s < architecture.stages().size() ? architecture.stages().get(s) : List.of();
            int depth = nearest(stages.get(s).depths(), given.size());
            List<Block> blocks = new ArrayList<>(depth);
            for (int b = 0; b < depth; b++) {
                Block source = given.isEmpty()
                        ? new Block(types.get(0), kernels.get(0), expandRatios.get(0), false)
                        : given.get(Math.min(b, given.size() - 1));
                ConvType type = convTypes.contains(source.type()) ? source.type() : types.get(0);
                int expand = type.hasExpandRatio() ? nearest(expandRatios, source.expand()) : 1;
                boolean skip = source.skip() && skipAllowed(s, b, width);
                blocks.add(new Block(type, nearest(kernels, source.kernel()), expand, skip));
            }
            repaired.add(blocks);
        }
        return new Architecture(resolution, width, repaired);
    }

    private static int nearest(List<Integer> sortedValues, int value) {
        int best = sortedValues.get(0);
        for (int candidate : sortedValues) {
            if (Math.abs(candidate - value) < Math.abs(best - value)) {
                best = candidate;
            }
        }
        return best;
    }

    private double nearestWidth(double value) {
        double best = widths.get(0);
        for (double candidate : widths) {
            if (Math.abs(candidate - value) < Math.abs(best - value) - 1e-12) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * This space at one (resolution, width) cell: TinyNAS's stage 2 searches, and its supernet trains, inside the
     * cell chosen by stage 1.
     */
    public SearchSpace narrow(int resolution, double width) {
        return withInputs(List.of(resolution), List.of(width));
    }

    /** This space with other allowed resolutions and widths, every other choice unchanged. */
    public SearchSpace withInputs(List<Integer> newResolutions, List<Double> newWidths) {
        return new SearchSpace(newResolutions, newWidths, channelDivisor, stemChannels, stages, convTypes, kernels,
                expandRatios, head, anchorBoxes);
    }

    /** The largest architecture: highest resolution and width, deepest stages, largest choices, skips where legal. */
    public Architecture largest() {
        return extreme(true);
    }

    /** The smallest architecture: lowest resolution and width, shallowest stages, smallest choices. */
    public Architecture smallest() {
        return extreme(false);
    }

    private Architecture extreme(boolean largest) {
        int resolution = largest ? resolutions.get(resolutions.size() - 1) : resolutions.get(0);
        double width = largest ? widths.get(widths.size() - 1) : widths.get(0);
        List<ConvType> types = orderedConvTypes();
        ConvType type = largest ? types.get(types.size() - 1) : types.get(0);
        int kernel = largest ? kernels.get(kernels.size() - 1) : kernels.get(0);
        int expand = largest ? expandRatios.get(expandRatios.size() - 1) : expandRatios.get(0);
        List<List<Block>> chosen = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            int depth = largest ? stages.get(s).maxDepth() : stages.get(s).minDepth();
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < depth; b++) {
                blocks.add(new Block(type, kernel, expand, largest && skipAllowed(s, b, width)));
            }
            chosen.add(blocks);
        }
        return new Architecture(resolution, width, chosen);
    }
}
