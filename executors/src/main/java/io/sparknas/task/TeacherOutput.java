package io.sparknas.task;

/**
 * A teacher's raw outputs for one training image.
 *
 * @param index   the image's position in the training split
 * @param imageId the image's id, so a cache can be checked against the dataset
 * @param values  the flattened {@code [A·(5+C), G, G]} outputs
 */
public record TeacherOutput(int index, String imageId, float[] values) implements java.io.Serializable {
}
