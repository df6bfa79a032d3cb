package io.sparknas.data;

/**
 * Training-time augmentation, applied per image.
 *
 * @param flip       probability of a horizontal flip
 * @param scale      largest relative scale change (0.25: the image is scaled by 0.75 … 1.25)
 * @param translate  largest shift as a fraction of the input side
 * @param brightness largest brightness shift, as a fraction of full scale
 * @param contrast   largest relative contrast change
 * @param saturation largest relative saturation change
 */
public record Augmentation(double flip, double scale, double translate, double brightness, double contrast,
                           double saturation) implements java.io.Serializable {

    /** No augmentation (validation and test). */
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, 0);

    /** Moderate defaults for small detectors. */
    public static final Augmentation DEFAULT = new Augmentation(0.5, 0.25, 0.1, 0.15, 0.2, 0.3);

    public Augmentation {
        if (flip < 0 || flip > 1 || scale < 0 || scale >= 1 || translate < 0 || translate > 0.5 || brightness < 0
                || contrast < 0 || contrast >= 1 || saturation < 0 || saturation >= 1) {
            throw new IllegalArgumentException("augmentation out of range: " + this);
        }
    }
}
