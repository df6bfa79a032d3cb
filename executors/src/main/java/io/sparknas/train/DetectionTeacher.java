package io.sparknas.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A detector that students learn from: given images {@code [N, 3, S, S]} in [0, 1], its raw predictions on the
 * students' grid, {@code [N, A·(5+C), G, G]} in the layout {@link io.sparknas.net.YoloLoss} reads.
 */
public interface DetectionTeacher extends AutoCloseable {

    /** Raw predictions for a batch of images. */
    INDArray predict(INDArray images);

    /** What the teacher is, for logs and provenance. */
    String describe();

    @Override
    void close();
}
