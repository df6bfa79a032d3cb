package io.sparknas.data;

/**
 * One object of a labelled image.
 *
 * @param classId index into the dataset's class list
 * @param box     its box in the image's pixels
 */
public record LabeledObject(int classId, Box box) implements java.io.Serializable {
}
