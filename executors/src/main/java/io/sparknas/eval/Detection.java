package io.sparknas.eval;

import io.sparknas.data.Box;

/**
 * One predicted object.
 *
 * @param image   index of the image it was found in
 * @param classId predicted class
 * @param score   confidence, higher is surer
 * @param box     where, in pixels of the evaluated image
 */
public record Detection(int image, int classId, double score, Box box) implements java.io.Serializable {
}
