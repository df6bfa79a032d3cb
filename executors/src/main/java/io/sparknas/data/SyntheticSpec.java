package io.sparknas.data;

/**
 * Size and seed of a built-in generated detection dataset ({@link BuiltInDataset}).
 *
 * @param imageSize side of the square images, pixels
 * @param train     training images
 * @param val       validation images
 * @param test      test images
 * @param seed      generation seed
 */
public record SyntheticSpec(int imageSize, int train, int val, int test, long seed) implements java.io.Serializable {

    public SyntheticSpec {
        if (imageSize < 32) {
            throw new IllegalArgumentException("imageSize must be at least 32, got " + imageSize);
        }
        if (train < 1 || val < 1 || test < 1) {
            throw new IllegalArgumentException("every split needs at least one image");
        }
    }

    /** The number of images of a split. */
    public int count(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> val;
            case TEST -> test;
        };
    }
}
