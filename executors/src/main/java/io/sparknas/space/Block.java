package io.sparknas.space;

import java.util.Objects;

/**
 * One searched block of a stage.
 *
 * @param type   the convolution kind
 * @param kernel the spatial kernel size of its main (depthwise or full) convolution
 * @param expand the expansion ratio of an MBConv block; always 1 for the other kinds
 * @param skip   whether the block adds its input to its output (only legal where stride is 1 and shapes match)
 */
public record Block(ConvType type, int kernel, int expand, boolean skip) implements java.io.Serializable {

    public Block {
        Objects.requireNonNull(type, "type");
        if (!type.hasExpandRatio()) {
            expand = 1;
        }
    }

    /** A short human-readable form such as {@code mb6k5+} (+ marks a skip connection). */
    public String shortName() {
        String prefix = switch (type) {
            case STANDARD -> "c";
            case DEPTHWISE_SEPARABLE -> "ds";
            case MBCONV -> "mb" + expand;
        };
        return prefix + "k" + kernel + (skip ? "+" : "");
    }
}
