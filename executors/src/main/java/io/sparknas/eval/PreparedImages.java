package io.sparknas.eval;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labelled images ready to score at one input side: the letterboxed batches {@code [N, 3, side, side]} in order and
 * the ground truth in input pixels ({@link DetectorEvaluator#prepare}). Read-only once made, so the networks of a
 * search can all be scored on the same instance.
 *
 * @param side    the input side
 * @param batches the image batches, in image order
 * @param truths  the labelled objects, image indices counting across the batches
 */
public record PreparedImages(int side, List<INDArray> batches, List<GroundTruth> truths) {

    public PreparedImages {
        batches = List.copyOf(batches);
        truths = List.copyOf(truths);
    }

    /** The bytes the batches hold (the ground truth is small beside them). */
    public long bytes() {
        return batches.stream().mapToLong(b -> b.length() * b.dataType().width()).sum();
    }
}
