package io.sparknas.eval;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labelled images ready to score at one input side: the letterboxed batches {@code [N, 3, side, side]} in order, their
 * training label grids (what the detection loss compares a network's raw outputs with) and the ground truth in input
 * pixels ({@link DetectorEvaluator#prepare}). Read-only once made, so the networks of a search can all be scored on
 * the same instance.
 *
 * @param side    the input side
 * @param batches the image batches, in image order
 * @param labels  the label grids of the batches, one per batch, in the same order
 * @param truths  the labelled objects, image indices counting across the batches
 */
public record PreparedImages(int side, List<INDArray> batches, List<INDArray> labels, List<GroundTruth> truths) {

    public PreparedImages {
        batches = List.copyOf(batches);
        labels = List.copyOf(labels);
        truths = List.copyOf(truths);
        if (labels.size() != batches.size()) {
            throw new IllegalArgumentException(batches.size() + " image batches but " + labels.size()
                    + " label batches");
        }
    }

    /** The bytes the image and label batches hold (the ground truth is small beside them). */
    public long bytes() {
        return java.util.stream.Stream.concat(batches.stream(), labels.stream())
                .mapToLong(b -> b.length() * b.dataType().width()).sum();
    }
}
