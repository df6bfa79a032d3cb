package io.sparknas.space;

/**
 * A detection anchor box prior, in grid cells of the head's output.
 *
 * @param width  prior width in cells
 * @param height prior height in cells
 */
public record Anchor(double width, double height) implements java.io.Serializable {

    public Anchor {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("anchor sides must be positive, got " + width + "x" + height);
        }
    }
}
