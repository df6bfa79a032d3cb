package io.sparknas.space;

import java.util.List;

/**
 * The fixed frame of one stage of the search space.
 *
 * @param channels base output channels before the width multiplier
 * @param stride   stride of the stage's first block (1 or 2)
 * @param depths   the allowed numbers of blocks, ascending
 */
public record StageSpec(int channels, int stride, List<Integer> depths) implements java.io.Serializable {

    public StageSpec {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride must be 1 or 2, got " + stride);
        }
        if (depths == null || depths.isEmpty()) {
            throw new IllegalArgumentException("depths must not be empty");
        }
        depths = depths.stream().sorted().distinct().toList();
        if (depths.get(0) < 1) {
            throw new IllegalArgumentException("depths must be at least 1, got " + depths);
        }
    }

    /** The largest allowed depth. */
    public int maxDepth() {
        return depths.get(depths.size() - 1);
    }

    /** The smallest allowed depth. */
    public int minDepth() {
        return depths.get(0);
    }
}
