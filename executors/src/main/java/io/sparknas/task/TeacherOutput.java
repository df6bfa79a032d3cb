package io.sparknas.task;

/**
 * A teacher's raw outputs for one training image, or for one augmented view of it.
 *
 * @param view    the augmented view ({@link io.sparknas.data.AugmentedViews}); 0 for the plain image too
 * @param index   the image's position in the training split
 * @param imageId the image's id, so a cache can be checked against the dataset
 * @param values  the flattened {@code [A·(5+C), G, G]} outputs
 */
public record TeacherOutput(int view, int index, String imageId, float[] values) implements java.io.Serializable {
}
