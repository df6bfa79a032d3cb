package io.sparknas.eval;

import io.sparknas.data.Box;

/**
 * One labelled object.
 *
 * @param image     index of the image
 * @param classId   its class
 * @param box       where, in pixels of the evaluated image
 * @param difficult whether VOC marks it difficult (neither a hit nor a miss)
 */
public record GroundTruth(int image, int classId, Box box, boolean difficult) implements java.io.Serializable {

    /** A labelled object that counts. */
    public GroundTruth(int image, int classId, Box box) {
        this(image, classId, box, false);
    }
}
