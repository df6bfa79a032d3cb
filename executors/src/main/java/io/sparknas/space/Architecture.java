package io.sparknas.space;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One point of the search space: an immutable description of a detector backbone.
 *
 * <p>The stage and block structure is relative to a {@link SearchSpace}: the space gives each stage its base
 * channels and stride, the architecture chooses the input resolution, the width multiplier, each stage's depth
 * (the number of blocks) and each block's kind, kernel, expansion and skip. {@link ArchitectureJson} gives the
 * canonical text form that keys every Parquet table.
 *
 * @param resolution input side in pixels (square input)
 * @param width      channel width multiplier, kept to two decimals
 * @param stages     per stage, its blocks in order
 */
public record Architecture(int resolution, double width, List<List<Block>> stages) implements java.io.Serializable {

    public Architecture {
        width = Math.round(width * 100.0) / 100.0;
        Objects.requireNonNull(stages, "stages");
        stages = stages.stream().map(List::copyOf).toList();
    }

    /** The number of blocks of stage {@code stage}. */
    public int depth(int stage) {
        return stages.get(stage).size();
    }

    /** The total number of searched blocks. */
    public int blockCount() {
        return stages.stream().mapToInt(List::size).sum();
    }

    /** This architecture at another resolution and width, blocks unchanged. */
    public Architecture withInput(int newResolution, double newWidth) {
        return new Architecture(newResolution, newWidth, stages);
    }

    /** A compact one-line summary for logs, e.g. {@code r128 w0.5 [mb6k3+|mb4k5,dsk3|…]}. */
    public String shortName() {
        return "r" + resolution + " w" + width + " ["
                + stages.stream()
                        .map(blocks -> blocks.stream().map(Block::shortName).collect(Collectors.joining(",")))
                        .collect(Collectors.joining("|"))
                + "]";
    }
}
